import { startTestApp, TestApp } from '../setup/test-app';
import { expectError } from '../setup/errors';
import { generateTree } from '../factories/tree';
import { importFile, importJson, toCsv, unitByCode, unitCount } from '../factories/import';
import { createPlan } from '../factories/workflow';

/**
 * Long operations: `?async=true` on a unit import or a plan activation answers 202 with an
 * operation id; `GET /api/operations/:id` gives its status, progress and outcome (the same body the
 * synchronous call answers, or the same error), to the person who started it and to admins above.
 */
describe('long operations (async import and activation, GET /api/operations/:id)', () => {
  let t: TestApp;
  beforeAll(async () => (t = await startTestApp()));
  afterAll(async () => t?.close());

  /** Polls until the operation has ended (bounded number of polls, no time assertion). */
  async function finished(id: number, token = t.adminToken): Promise<any> {
    for (let i = 0; i < 600; i++) {
      const res = await t.request('GET', `/api/operations/${id}`, { token });
      expect(res.status).toBe(200);
      if (res.body.status !== 'running') return res.body;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`operation ${id} still running`);
  }

  it('an async JSON import answers 202 at once and its operation ends with the counts', async () => {
    // 1 + 6 × (1 + 10 × (1 + 10)) = 667 units.
    const rows = generateTree({ provinces: 1, districts: 6, communes: 10, cells: 10 }, 'A');
    const before = await unitCount(t);
    const res = await t.request('POST', '/api/units/import?async=true', { token: t.adminToken, body: rows });
    expect(res.status).toBe(202);
    expect(res.body).toEqual({ operationId: expect.any(Number), status: 'running' });
    const op = await finished(res.body.operationId);
    expect(op).toMatchObject({
      id: res.body.operationId,
      kind: 'unit_import',
      status: 'succeeded',
      progress: { phase: 'done' },
      result: { created: 667, updated: 0, unchanged: 0 },
      finishedAt: expect.any(String),
    });
    expect(op.error).toBeUndefined();
    expect(await unitCount(t)).toBe(before + 667);
    // State lives in PostgreSQL, not in the process.
    const { rows: stored } = await t.db.query(`SELECT status, result FROM operations WHERE id = $1`, [op.id]);
    expect(stored[0]).toEqual({ status: 'succeeded', result: { created: 667, updated: 0, unchanged: 0 } });
  });

  it('an async import with bad rows fails with every bad row listed and writes nothing', async () => {
    const before = await unitCount(t);
    const rows = [
      { code: 'B1', name: 'Tỉnh ủy B', tier: 'province', parentCode: '' },
      { code: 'B1-1', name: '', tier: 'district', parentCode: 'B1' },
      { code: 'B1-2', name: 'Huyện ủy B2', tier: 'county', parentCode: 'B1' },
    ];
    const res = await t.request('POST', '/api/units/import?async=true', { token: t.adminToken, body: rows });
    expect(res.status).toBe(202);
    const op = await finished(res.body.operationId);
    expect(op.status).toBe('failed');
    expect(op.result).toBeUndefined();
    expect(op.error.code).toBe('VALIDATION_FAILED');
    expect(op.error.details).toEqual([
      { row: 2, field: 'name', reason: 'is required' },
      { row: 3, field: 'tier', reason: expect.stringContaining('must be one of') },
    ]);
    expect(await unitCount(t)).toBe(before);
  });

  it('an async CSV upload is kept for the background work and imported', async () => {
    const file = toCsv([
      { code: 'C1', name: 'Tỉnh ủy C', tier: 'province', parentCode: '' },
      { code: 'C1-1', name: 'Huyện ủy C1', tier: 'district', parentCode: 'C1' },
    ]);
    const form = new FormData();
    form.append('file', file, 'donvi.csv');
    const res = await t.request('POST', '/api/units/import?async=true', { token: t.adminToken, raw: form });
    expect(res.status).toBe(202);
    const op = await finished(res.body.operationId);
    expect(op).toMatchObject({ status: 'succeeded', result: { created: 2, updated: 0, unchanged: 0 } });
    expect((await unitByCode(t, 'C1-1')).name).toBe('Huyện ủy C1');
    // Without async the same file answers 200 with the counts, as before.
    const sync = await importFile(t, file, 'donvi.csv');
    expect(sync.status).toBe(200);
    expect(sync.body).toEqual({ created: 0, updated: 0, unchanged: 2 });
  });

  it('an async activation ends with the units and steps it created', async () => {
    const planId = await createPlan(t);
    const root = await unitByCode(t, 'C1');
    const res = await t.request('POST', `/api/plans/${planId}/activate?async=true`, { token: t.adminToken, body: { rootUnitId: root.id } });
    expect(res.status).toBe(202);
    const op = await finished(res.body.operationId);
    expect(op).toMatchObject({ kind: 'plan_activation', status: 'succeeded', result: { units: 2, steps: 30 } });
    const { rows } = await t.db.query(`SELECT count(*)::int AS n FROM unit_steps WHERE plan_id = $1`, [planId]);
    expect(rows[0].n).toBe(30);

    // Activating it again fails in the operation with the synchronous call's error.
    const again = await t.request('POST', `/api/plans/${planId}/activate?async=true`, {
      token: t.adminToken,
      body: { rootUnitId: root.id },
    });
    expect(again.status).toBe(202);
    expect(await finished(again.body.operationId)).toMatchObject({ status: 'failed', error: { code: 'CONFLICT' } });
  });

  it('refuses at once what can be checked at once: an unknown plan or root, a bad async flag', async () => {
    const root = await unitByCode(t, 'C1');
    expectError(
      await t.request('POST', `/api/plans/999999/activate?async=true`, { token: t.adminToken, body: { rootUnitId: root.id } }),
      404,
      'NOT_FOUND',
    );
    expectError(
      await t.request('POST', `/api/units/import?async=maybe`, { token: t.adminToken, body: [{ code: 'X' }] }),
      400,
      'VALIDATION_FAILED',
    );
    const { rows } = await t.db.query(`SELECT count(*)::int AS n FROM operations WHERE kind = 'plan_activation'`);
    expect(rows[0].n).toBe(2);
  });

  it('only the person who started it, or an admin above its unit, may read an operation', async () => {
    const a1 = await unitByCode(t, 'A1-1');
    const a2 = await unitByCode(t, 'A1-2');
    const districtAdmin = await t.loginAs('admin', a1.id);
    const res = await importJson(t, [{ code: 'A1-1-99', name: 'Đảng ủy xã mới', tier: 'grassroots', parentCode: 'A1-1' }], districtAdmin);
    expect(res.status).toBe(200);
    const started = await t.request('POST', '/api/units/import?async=true', {
      token: districtAdmin,
      body: [{ code: 'A1-1-98', name: 'Đảng ủy xã mới 2', tier: 'grassroots', parentCode: 'A1-1' }],
    });
    expect(started.status).toBe(202);
    const id = started.body.operationId;
    expect(await finished(id, districtAdmin)).toMatchObject({ status: 'succeeded', result: { created: 1 } });
    // The root's admin (above its unit) may read it.
    expect((await t.request('GET', `/api/operations/${id}`, { token: t.adminToken })).body.status).toBe('succeeded');
    // An admin of a sibling subtree, and an editor of the same unit who did not start it, may not.
    expectError(await t.request('GET', `/api/operations/${id}`, { token: await t.loginAs('admin', a2.id) }), 403, 'FORBIDDEN_SCOPE');
    expectError(await t.request('GET', `/api/operations/${id}`, { token: await t.loginAs('editor', a1.id) }), 403, 'FORBIDDEN_SCOPE');
    // The district admin may not read the root admin's operations.
    const { rows } = await t.db.query(`SELECT min(id)::int AS id FROM operations`);
    expectError(await t.request('GET', `/api/operations/${rows[0].id}`, { token: districtAdmin }), 403, 'FORBIDDEN_SCOPE');
    expectError(await t.request('GET', `/api/operations/999999`, { token: t.adminToken }), 404, 'NOT_FOUND');
    expectError(await t.request('GET', `/api/operations/abc`, { token: t.adminToken }), 400, 'VALIDATION_FAILED');
    expectError(await t.request('GET', `/api/operations/${id}`, {}), 401, 'UNAUTHENTICATED');
  });

  it('a running operation whose process died (heartbeat silent) is reported failed', async () => {
    const { rows } = await t.db.query(
      `INSERT INTO operations (kind, created_by, unit_path, heartbeat_at)
       SELECT 'unit_import', id, (SELECT path FROM units WHERE id = $1), now() - interval '10 minutes' FROM users ORDER BY id LIMIT 1
       RETURNING id`,
      [t.rootUnitId],
    );
    const res = await t.request('GET', `/api/operations/${rows[0].id}`, { token: t.adminToken });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'failed', error: { code: 'INTERNAL_ERROR' }, finishedAt: expect.any(String) });
  });
});
