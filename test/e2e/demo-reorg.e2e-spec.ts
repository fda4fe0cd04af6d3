import { UsersService } from '@app/auth';
import { Env } from '@app/core';
import { WorkflowService } from '@app/workflow';
import { ReorgService, UnitImportService, UnitsRepository } from '@app/org';
import { PlansService, UnitDeadlinesService } from '@app/plan';
import { DemoSeedService } from '../../apps/tools/src/demo/demo-seed.service';
import { ReorgDemoService } from '../../apps/tools/src/demo/reorg-demo.service';
import fixture from '../../apps/tools/src/demo/reorg-hung-yen.json';
import { DEMO_USERS } from '../../apps/tools/src/demo/demo-seed.service';
import { startTestApp, TestApp } from '../setup/test-app';

jest.setTimeout(600_000);

/**
 * `seed:demo -- --reorg` (issue 10): after the Thái Bình demo, the 01/07/2025 merger of Thái Bình and
 * Hưng Yên applied through the reorganisation services on a test database, then run again.
 */
describe('the reorganisation demo', () => {
  let t: TestApp;
  let demo: DemoSeedService;
  let reorg: ReorgDemoService;
  const newCodes = fixture.after.communes.map((c) => c.code);
  const oldCommuneCodes = fixture.before.flatMap((p) => p.districts.flatMap((d) => d.communes.map((c) => c.code)));
  const districtCodes = fixture.before.flatMap((p) => p.districts.map((d) => d.code));

  /** Everything the seed may write, fingerprinted. */
  const fingerprint = async () => {
    const tables = ['units', 'unit_steps', 'unit_lineage', 'unit_deadlines', 'step_events', 'users', 'plans'];
    const out: Record<string, string> = {};
    for (const table of tables) {
      const { rows } = await t.db.query(
        `SELECT count(*)::int AS n, md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) AS h FROM ${table} x`,
      );
      out[table] = `${rows[0].n}:${rows[0].h}`;
    }
    return out;
  };

  beforeAll(async () => {
    t = await startTestApp();
    t.setClock('2025-07-01');
    const units = t.app.get(UnitsRepository);
    const importer = t.app.get(UnitImportService);
    const users = t.app.get(UsersService);
    const plans = t.app.get(PlansService);
    demo = new DemoSeedService(units, importer, users, plans, t.app.get(WorkflowService), t.app.get(Env));
    reorg = new ReorgDemoService(units, importer, t.app.get(ReorgService), users, t.app.get(UnitDeadlinesService), plans);
    await demo.run();
  });
  afterAll(async () => t?.close());

  it('applies the merger: 104 new communes active, 381 old merged into them, districts dissolved, the provinces merged', async () => {
    const summary = await reorg.run('admin@test.vn');
    expect(summary).toMatchObject({
      provinceMerged: true,
      communesMerged: 104,
      districtsDissolved: districtCodes.length,
      usersMoved: DEMO_USERS.length,
    });
    expect(summary.deadlinesSet).toBeGreaterThan(0);

    const status = async (codes: string[]) =>
      (await t.db.query(`SELECT status, count(*)::int AS n FROM units WHERE code = ANY($1) GROUP BY status ORDER BY status`, [codes])).rows;
    expect(await status(newCodes)).toEqual([{ status: 'active', n: 104 }]);
    expect(await status(oldCommuneCodes)).toEqual([{ status: 'merged', n: 381 }]);
    expect(await status(districtCodes)).toEqual([{ status: 'dissolved', n: 18 }]);
    expect(await status(['34', '33'])).toEqual([{ status: 'merged', n: 2 }]);
    expect(await status([fixture.after.province.code])).toEqual([{ status: 'active', n: 1 }]);

    // Each old commune's lineage row points at its successor of the fixture, with its decision.
    const { rows: lineage } = await t.db.query(
      `SELECT s.code AS source, t.code AS target, l.kind, l.effective_on::text AS "effectiveOn", l.decision_ref AS "decisionRef"
         FROM unit_lineage l JOIN units s ON s.id = l.source_id LEFT JOIN units t ON t.id = l.target_id`,
    );
    expect(lineage).toHaveLength(381 + 2 + 18);
    for (const closed of fixture.closed.filter((c) => c.status === 'merged')) {
      expect(lineage.find((l) => l.source === closed.code)).toEqual(
        expect.objectContaining({
          target: closed.successorCode,
          kind: 'merged',
          effectiveOn: '2025-07-01',
          decisionRef: closed.decisionRef,
        }),
      );
    }
    expect(
      lineage
        .filter((l) => l.kind === 'dissolved')
        .map((l) => l.source)
        .sort(),
    ).toEqual([...districtCodes].sort());

    // The cells moved under the new communes; nothing active is left under a closed unit.
    const { rows: cells } = await t.db.query(
      `SELECT count(*)::int AS n FROM units c JOIN units p ON p.id = c.parent_id WHERE c.tier = 'cell' AND p.code = ANY($1) AND c.status = 'active'`,
      [newCodes],
    );
    expect(cells[0].n).toBeGreaterThan(381 * 9 - 1);
    const { rows: orphans } = await t.db.query(
      `SELECT count(*)::int AS n FROM units c JOIN units p ON p.id = c.parent_id WHERE c.status = 'active' AND p.status <> 'active'`,
    );
    expect(orphans[0].n).toBe(0);
  });

  it("moves the demo users off the closed units: the province users to the new province, Vũ Thư's to the new xã Vũ Thư", async () => {
    const { rows } = await t.db.query(
      `SELECT us.email, un.code, un.status FROM users us JOIN units un ON un.id = us.unit_id WHERE us.email = ANY($1) ORDER BY us.email`,
      [DEMO_USERS.map((u) => u.email)],
    );
    const where = Object.fromEntries(rows.map((r) => [r.email.split('@')[0], `${r.code} ${r.status}`]));
    expect(where).toEqual({
      admin: '33.2025 active',
      supervisor: '33.2025 active',
      'editor.vuthu': '13192.2025 active',
      'viewer.vuthu': '13192.2025 active',
    });
    expect(fixture.after.communes.find((c) => c.code === '13192.2025')?.name).toBe('Đảng bộ xã Vũ Thư');
    // They log in and see the new units.
    const login = await t.request('POST', '/api/auth/login', {
      body: { email: DEMO_USERS[2].email, password: DEMO_USERS[2].password },
    });
    expect(login.status).toBe(200);
  });

  it('leaves no new commune overdue on 01/07/2025', async () => {
    const { rows } = await t.db.query(
      `SELECT count(*)::int AS steps,
              count(*) FILTER (WHERE us.status NOT IN ('completed', 'skipped', 'closed') AND us.due_date < '2025-07-01')::int AS overdue
         FROM unit_steps us JOIN units u ON u.id = us.unit_id WHERE u.code = ANY($1)`,
      [newCodes],
    );
    expect(rows[0].steps).toBeGreaterThan(0);
    expect(rows[0].overdue).toBe(0);
    const { rows: ids } = await t.db.query(`SELECT id FROM units WHERE code = $1`, [newCodes[0]]);
    const view = await t.request('GET', `/api/units/${ids[0].id}/workflow`, { token: t.adminToken });
    expect(view.status).toBe(200);
    expect(view.body.steps.length).toBeGreaterThan(0);
    for (const step of view.body.steps) expect(step).toEqual(expect.objectContaining({ overdue: false, dueDateSource: 'unit' }));
  });

  it('a second run (the normal demo then the reorganisation) changes nothing', async () => {
    const before = await fingerprint();
    await demo.run();
    const summary = await reorg.run('admin@test.vn');
    expect(summary).toEqual({
      imported: { created: 0, updated: 0, unchanged: 0 },
      provinceMerged: false,
      communesMerged: 0,
      districtsDissolved: 0,
      deadlinesSet: 0,
      usersMoved: 0,
    });
    expect(await fingerprint()).toEqual(before);
  });
});
