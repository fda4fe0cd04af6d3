import { startTestApp, TestApp } from '../setup/test-app';
import { expectError } from '../setup/errors';
import { generateTree } from '../factories/tree';
import { importJson } from '../factories/import';
import { createPlan, dueDates, plannedTree, setCongressDate } from '../factories/workflow';

/**
 * Activation on a subtree: the steps that apply to each unit's tier (15 for committees, 13 for cells:
 * the template gives cells no step 2 nor 6) per unit under the root and none elsewhere, once; units
 * added under the root later (POST /api/units, import) get their steps in the same transaction.
 * Tree: T1 with districts T1-1, T1-2; each with communes -1, -2; each commune with one cell -1.
 */
describe('plan activation', () => {
  let t: TestApp;
  let ids: Record<string, number>;
  let planId: number;
  const rows = generateTree({ provinces: 1, districts: 2, communes: 2, cells: 1 });
  const inside = ['T1-1', 'T1-1-1', 'T1-1-1-1', 'T1-1-2', 'T1-1-2-1'];
  // The template's appliesTo: every step for every tier, but steps 2 and 6 not for cells.
  const stepsOf = (code: string) => (code.split('-').length === 4 ? 13 : 15);
  const insideSteps = inside.reduce((n, code) => n + stepsOf(code), 0); // 3 × 15 + 2 × 13 = 71

  const stepCounts = async (): Promise<Record<string, number>> => {
    const { rows: r } = await t.db.query(
      `SELECT u.code, count(us.step_no)::int AS n FROM units u LEFT JOIN unit_steps us ON us.unit_id = u.id GROUP BY u.code`,
    );
    return Object.fromEntries(r.map((x) => [x.code, x.n]));
  };

  beforeAll(async () => {
    t = await startTestApp();
    ({ ids, planId } = await plannedTree(t, rows, { activate: false }));
  });
  afterAll(async () => t?.close());

  it('a new plan carries the 15-step template and is a draft', async () => {
    const res = await t.request('GET', `/api/plans/${planId}`, { token: t.adminToken });
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('draft');
    expect(res.body.steps.map((s: any) => s.no)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]);
    expect(res.body.steps.filter((s: any) => s.requiresApproval).map((s: any) => s.no)).toEqual([7, 10, 13]);
    expect(res.body.steps.find((s: any) => s.no === 10).dependsOn).toEqual([3, 5, 9]);
    expect((await stepCounts())['T1-1']).toBe(0);
  });

  it('refuses a non-admin and an unknown root, writing nothing', async () => {
    const supervisor = await t.loginAs('supervisor', t.rootUnitId);
    const res = await t.request('POST', `/api/plans/${planId}/activate`, { token: supervisor, body: { rootUnitId: ids['T1-1'] } });
    expectError(res, 403, 'FORBIDDEN_SCOPE');
    expectError(
      await t.request('POST', `/api/plans/${planId}/activate`, { token: t.adminToken, body: { rootUnitId: 999999 } }),
      404,
      'NOT_FOUND',
    );
    expectError(await t.request('POST', `/api/plans/${planId}/activate`, { token: t.adminToken, body: {} }), 400, 'VALIDATION_FAILED');
    expect(Object.values(await stepCounts()).every((n) => n === 0)).toBe(true);
  });

  it('activating on T1-1 creates the steps of each of its 5 units’ tier (15, a cell 13) and nothing outside', async () => {
    const res = await t.request('POST', `/api/plans/${planId}/activate`, { token: t.adminToken, body: { rootUnitId: ids['T1-1'] } });
    expect(res.status).toBe(200);
    expect(insideSteps).toBe(71);
    expect(res.body).toEqual({ units: 5, steps: insideSteps });
    const counts = await stepCounts();
    for (const code of inside) expect({ code, n: counts[code] }).toEqual({ code, n: stepsOf(code) });
    for (const code of ['T1', 'T1-2', 'T1-2-1', 'T1-2-1-1', 'T1-2-2', 'T1-2-2-1'])
      expect({ code, n: counts[code] }).toEqual({ code, n: 0 });
    const { rows: total } = await t.db.query(
      `SELECT count(*)::int AS n, count(DISTINCT unit_id)::int AS units FROM unit_steps WHERE plan_id = $1`,
      [planId],
    );
    expect(total[0]).toEqual({ n: insideSteps, units: 5 });
    // The counters of an activation are added in one pass after its INSERT, not by the insert trigger.
    const { rows: counted } = await t.db.query(
      `SELECT (SELECT sum(n)::int FROM step_counts WHERE status = 'not_started') AS steps,
              (SELECT sum(n)::int FROM step_counts_top WHERE status = 'not_started') AS top,
              (SELECT sum(units)::int FROM unit_counts) AS units`,
    );
    expect(counted[0]).toEqual({ steps: insideSteps, top: insideSteps, units: 5 });
    const { rows: fresh } = await t.db.query(`SELECT DISTINCT status, version FROM unit_steps WHERE plan_id = $1`, [planId]);
    expect(fresh).toEqual([{ status: 'not_started', version: 1 }]);
    const plan = await t.request('GET', `/api/plans/${planId}`, { token: t.adminToken });
    expect(plan.body).toMatchObject({ status: 'active', rootUnitId: ids['T1-1'] });
    // Outside the subtree there is no workflow.
    expectError(await t.request('GET', `/api/units/${ids['T1-2']}/workflow`, { token: t.adminToken }), 404, 'NOT_FOUND');
  });

  it('activating twice → 409, and no steps are added', async () => {
    const again = await t.request('POST', `/api/plans/${planId}/activate`, { token: t.adminToken, body: { rootUnitId: ids['T1-1'] } });
    expectError(again, 409, 'CONFLICT');
    const elsewhere = await t.request('POST', `/api/plans/${planId}/activate`, { token: t.adminToken, body: { rootUnitId: ids['T1-2'] } });
    expectError(elsewhere, 409, 'CONFLICT');
    const { rows: total } = await t.db.query(`SELECT count(*)::int AS n FROM unit_steps`);
    expect(total[0].n).toBe(insideSteps);
  });

  it('another plan may not take units that already follow one', async () => {
    const other = await createPlan(t);
    const res = await t.request('POST', `/api/plans/${other}/activate`, { token: t.adminToken, body: { rootUnitId: ids.T1 } });
    expectError(res, 409, 'CONFLICT');
    const { rows: r } = await t.db.query(`SELECT count(*)::int AS n FROM unit_steps WHERE plan_id = $1`, [other]);
    expect(r[0].n).toBe(0);
    const plan = await t.request('GET', `/api/plans/${other}`, { token: t.adminToken });
    expect(plan.body.status).toBe('draft');
  });

  it('an active plan keeps its steps: they cannot be deleted or renumbered, nor the plan deleted', async () => {
    // unit_steps (plan_id, step_no) has no foreign key (4.5M checks per national activation); a trigger keeps this.
    await expect(t.db.query(`DELETE FROM plan_steps WHERE plan_id = $1 AND no = 15`, [planId])).rejects.toThrow(/keeps its steps/);
    await expect(t.db.query(`UPDATE plan_steps SET no = 14 WHERE plan_id = $1 AND no = 15`, [planId])).rejects.toThrow(/keeps its steps/);
    await expect(t.db.query(`DELETE FROM plans WHERE id = $1`, [planId])).rejects.toThrow(/keeps its steps/);
    const draft = await createPlan(t);
    await t.db.query(`DELETE FROM plans WHERE id = $1`, [draft]);
    const { rows: r } = await t.db.query(`SELECT count(*)::int AS n FROM plan_steps WHERE plan_id = $1`, [planId]);
    expect(r[0].n).toBe(15);
  });

  it('a step always belongs to an existing unit, checked once per statement instead of a per-row foreign key', async () => {
    const [{ max }] = (await t.db.query(`SELECT max(id) + 1000 AS max FROM units`)).rows;
    const fk = { code: '23503', constraint: 'unit_steps_unit_id_fkey' };
    await expect(
      t.db.query(`INSERT INTO unit_steps (unit_id, step_no, plan_id) VALUES ($1, 1, $2), ($3, 1, $2)`, [ids['T1-2'], planId, max]),
    ).rejects.toMatchObject(fk);
    await expect(
      t.db.query(`UPDATE unit_steps SET unit_id = $1 WHERE unit_id = $2 AND step_no = 1`, [max, ids['T1-1']]),
    ).rejects.toMatchObject(fk);
    await expect(t.db.query(`DELETE FROM units WHERE id = $1`, [ids['T1-1-1']])).rejects.toMatchObject(fk);
    await expect(t.db.query(`UPDATE units SET id = $1 WHERE id = $2`, [max, ids['T1-1-1']])).rejects.toMatchObject(fk);
    await expect(t.db.query(`TRUNCATE units CASCADE`)).rejects.toThrow();
    const { rows } = await t.db.query(`SELECT count(*)::int AS n FROM unit_steps WHERE unit_id = $1 OR unit_id = $2`, [ids['T1-2'], max]);
    expect(rows[0].n).toBe(0);
  });

  /** `fn` inside a transaction of its own on one connection, always rolled back. */
  const inTransaction = async (begin: string, fn: (q: (sql: string, params?: unknown[]) => Promise<any>) => Promise<void>) => {
    const client = await t.db.connect();
    try {
      await client.query(begin);
      await fn((sql, params) => client.query(sql, params));
    } finally {
      await client.query('ROLLBACK');
      client.release();
    }
  };

  it('under a SHARE lock on units the unit check locks no unit row, and a missing unit fails alike', async () => {
    const [{ max }] = (await t.db.query(`SELECT max(id) + 1000 AS max FROM units`)).rows;
    const fk = { code: '23503', constraint: 'unit_steps_unit_id_fkey' };
    for (const lock of ['SHARE', 'SHARE ROW EXCLUSIVE', null]) {
      await inTransaction('BEGIN', async (q) => {
        if (lock) await q(`LOCK TABLE units IN ${lock} MODE`);
        await q('SAVEPOINT s');
        await expect(
          q(`INSERT INTO unit_steps (unit_id, step_no, plan_id) VALUES ($1, 1, $2), ($3, 1, $2)`, [ids['T1-2'], planId, max]),
        ).rejects.toMatchObject(fk);
        await q('ROLLBACK TO SAVEPOINT s');
        // A valid insert: with the table lock the unit is not row-locked (another transaction may
        // lock its row FOR UPDATE: neither may delete it before this one ends); without it, it is (FOR KEY SHARE).
        await q(`INSERT INTO unit_steps (unit_id, step_no, plan_id) VALUES ($1, 1, $2)`, [ids['T1-2'], planId]);
        const other = await t.db.connect();
        try {
          await other.query('BEGIN');
          const locking = other.query(`SELECT 1 FROM units WHERE id = $1 FOR UPDATE NOWAIT`, [ids['T1-2']]);
          if (lock) await expect(locking).resolves.toMatchObject({ rowCount: 1 });
          else await expect(locking).rejects.toMatchObject({ code: '55P03' });
        } finally {
          await other.query('ROLLBACK');
          other.release();
        }
      });
    }
    // Under REPEATABLE READ the snapshot may predate the lock: the row locks are kept.
    await inTransaction('BEGIN ISOLATION LEVEL REPEATABLE READ', async (q) => {
      await q(`LOCK TABLE units IN SHARE MODE`);
      await q(`INSERT INTO unit_steps (unit_id, step_no, plan_id) VALUES ($1, 1, $2)`, [ids['T1-2'], planId]);
      const other = await t.db.connect();
      try {
        await expect(other.query(`SELECT 1 FROM units WHERE id = $1 FOR UPDATE NOWAIT`, [ids['T1-2']])).rejects.toMatchObject({
          code: '55P03',
        });
      } finally {
        other.release();
      }
    });
    const { rows } = await t.db.query(`SELECT count(*)::int AS n FROM unit_steps WHERE unit_id = $1`, [ids['T1-2']]);
    expect(rows[0].n).toBe(0);
  });

  it("a step's updated_by and milestone_done_by are existing users, checked without per-row foreign keys", async () => {
    const [{ missing }] = (await t.db.query(`SELECT max(id) + 1000 AS missing FROM users`)).rows;
    const {
      rows: [{ id: user }],
    } = await t.db.query(
      `INSERT INTO users (email, name, password_hash, role, unit_id) VALUES ('steps-user@test.vn', 'Người dùng', 'x', 'editor', $1) RETURNING id`,
      [ids['T1-1']],
    );
    const { rows: fks } = await t.db.query(
      `SELECT conname FROM pg_constraint WHERE conrelid = 'unit_steps'::regclass AND contype = 'f' ORDER BY conname`,
    );
    expect(fks).toEqual([]);
    for (const column of ['updated_by', 'milestone_done_by']) {
      const fk = { code: '23503', constraint: `unit_steps_${column}_fkey` };
      // On insert (statement check), with and without the SHARE lock on units.
      for (const lock of [true, false]) {
        await inTransaction('BEGIN', async (q) => {
          if (lock) await q(`LOCK TABLE units IN SHARE MODE`);
          await expect(
            q(`INSERT INTO unit_steps (unit_id, step_no, plan_id, ${column}) VALUES ($1, 1, $2, $3), ($1, 3, $2, $4)`, [
              ids['T1-2'],
              planId,
              user,
              missing,
            ]),
          ).rejects.toMatchObject(fk);
        });
      }
      // On update (row check, only when the column changes).
      await expect(
        t.db.query(`UPDATE unit_steps SET ${column} = $1 WHERE unit_id = $2 AND step_no = 1`, [missing, ids['T1-1']]),
      ).rejects.toMatchObject(fk);
      // An existing user is accepted and locked FOR KEY SHARE, as by the foreign key: a concurrent delete would wait.
      await inTransaction('BEGIN', async (q) => {
        await q(`UPDATE unit_steps SET ${column} = $1 WHERE unit_id = $2 AND step_no = 1`, [user, ids['T1-1']]);
        const other = await t.db.connect();
        try {
          await other.query('BEGIN');
          await expect(other.query(`SELECT 1 FROM users WHERE id = $1 FOR UPDATE NOWAIT`, [user])).rejects.toMatchObject({
            code: '55P03',
          });
        } finally {
          await other.query('ROLLBACK');
          other.release();
        }
      });
      // A referenced user cannot be deleted, renumbered or truncated away.
      await t.db.query(`UPDATE unit_steps SET ${column} = $1 WHERE unit_id = $2 AND step_no = 1`, [user, ids['T1-1']]);
      await expect(t.db.query(`DELETE FROM users WHERE id = $1`, [user])).rejects.toMatchObject(fk);
      await expect(t.db.query(`UPDATE users SET id = $1 WHERE id = $2`, [missing, user])).rejects.toMatchObject(fk);
      await expect(t.db.query(`TRUNCATE users CASCADE`)).rejects.toThrow(/TRUNCATE users is not allowed/);
      await t.db.query(`UPDATE unit_steps SET ${column} = NULL WHERE unit_id = $1 AND step_no = 1`, [ids['T1-1']]);
    }
    // Under REPEATABLE READ the check could miss a writer that committed after the snapshot: refused.
    await inTransaction('BEGIN ISOLATION LEVEL REPEATABLE READ', async (q) => {
      await expect(q(`DELETE FROM users WHERE id = $1`, [user])).rejects.toMatchObject({ code: '23503' });
    });
    // A user nothing refers to may still be deleted, as with the foreign keys.
    await t.db.query(`DELETE FROM users WHERE id = $1`, [user]);
    const { rows } = await t.db.query(`SELECT count(*)::int AS n FROM users WHERE id = $1`, [user]);
    expect(rows[0].n).toBe(0);
  });

  it('TRUNCATE cannot remove the steps of an active plan either', async () => {
    await expect(t.db.query(`TRUNCATE plan_steps`)).rejects.toThrow(/keeps its steps/);
    await expect(t.db.query(`TRUNCATE plans CASCADE`)).rejects.toThrow(/keeps its steps/);
    const { rows } = await t.db.query(`SELECT count(*)::int AS n FROM plan_steps WHERE plan_id = $1`, [planId]);
    expect(rows[0].n).toBe(15);
  });

  it('a unit created later under the subtree gets the steps of its tier (a cell: 13, no step 2 nor 6) with due dates', async () => {
    const res = await t.request('POST', '/api/units', {
      token: t.adminToken,
      body: { code: 'NEW-CELL', name: 'Chi bộ mới', tier: 'cell', parentId: ids['T1-1-1'] },
    });
    expect(res.status).toBe(201);
    const unit = res.body.id;
    const due = await dueDates(t, unit);
    expect(Object.keys(due).map(Number)).toEqual([1, 3, 4, 5, 7, 8, 9, 10, 11, 12, 13, 14, 15]);
    expect(due[1]).toBe('2024-12-02'); // 30/11/2024 is a Saturday: the next working day
    expect(due[12]).toBeNull(); // no congress date yet
    expect((await setCongressDate(t, unit, '2025-03-20')).status).toBe(200);
    // +30 days from 20/3/2025 is Sat 19/4: moved to Mon 21/4.
    expect(await dueDates(t, unit)).toMatchObject({ 1: '2024-12-02', 12: '2025-03-20', 15: '2025-04-21' });
    const wf = await t.request('GET', `/api/units/${unit}/workflow`, { token: t.adminToken });
    expect(wf.status).toBe(200);
    expect(wf.body).toMatchObject({ unitId: unit, planId, congressDate: '2025-03-20', progress: { completed: 0, total: 13 } });
  });

  it('a unit created outside the subtree gets none', async () => {
    const res = await t.request('POST', '/api/units', {
      token: t.adminToken,
      body: { code: 'OUT-CELL', name: 'Chi bộ ngoài', tier: 'cell', parentId: ids['T1-2-1'] },
    });
    expect(res.status).toBe(201);
    expect(Object.keys(await dueDates(t, res.body.id))).toHaveLength(0);
  });

  it('an import adding units gives steps to those under the subtree only', async () => {
    const added = [
      { code: 'IMP-G', name: 'Đảng ủy xã nhập', tier: 'grassroots', parentCode: 'T1-1' },
      { code: 'IMP-K', name: 'Chi bộ nhập', tier: 'cell', parentCode: 'IMP-G' },
      { code: 'IMP-OUT', name: 'Chi bộ ngoài', tier: 'cell', parentCode: 'T1-2-2' },
    ];
    const res = await importJson(t, added);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ created: 3, updated: 0 });
    const counts = await stepCounts();
    expect({ g: counts['IMP-G'], k: counts['IMP-K'], out: counts['IMP-OUT'] }).toEqual({ g: 15, k: 13, out: 0 });
    const { rows: r } = await t.db.query(
      `SELECT u.code, to_char(us.due_date, 'YYYY-MM-DD') AS due FROM unit_steps us JOIN units u ON u.id = us.unit_id
        WHERE u.code IN ('IMP-G', 'IMP-K') AND us.step_no = 1 ORDER BY u.code`,
    );
    expect(r).toEqual([
      { code: 'IMP-G', due: '2024-12-02' },
      { code: 'IMP-K', due: '2024-12-02' },
    ]);
    // Re-importing the same rows creates nothing and adds no steps.
    const again = await importJson(t, added);
    expect(again.body).toMatchObject({ created: 0 });
    const { rows: total } = await t.db.query(`SELECT count(*)::int AS n FROM unit_steps`);
    // NEW-CELL (13), IMP-G (15) and IMP-K (13) joined the plan.
    expect(total[0].n).toBe(insideSteps + 13 + 15 + 13);
  });
});
