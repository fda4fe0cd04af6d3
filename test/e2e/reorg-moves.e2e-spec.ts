import { startTestApp, TestApp } from '../setup/test-app';
import { expectError } from '../setup/errors';
import { importJson } from '../factories/import';
import { countersAndRecount, progressAndRecount, recountOverdue, topCountersAndRecount } from '../factories/reports';
import { plannedTree } from '../factories/workflow';
import type { ImportRow } from '../factories/tree';

/** Every counters table and the root's progress report equal a recount from unit_steps. */
async function expectExact(t: TestApp, roots: number[]): Promise<void> {
  const counters = await countersAndRecount(t);
  expect(counters.stored).toEqual(counters.recounted);
  const top = await topCountersAndRecount(t);
  expect(top.stored).toEqual(top.recounted);
  for (const root of roots) {
    for (const groupBy of ['child', 'tier'] as const) {
      const { actual, expected } = await progressAndRecount(t, root, groupBy);
      expect(actual).toEqual(expected);
    }
  }
}

describe('re-parenting keeps the progress counters exact (provincial root)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ ROOT_UNIT_CODE: 'HY', ROOT_UNIT_NAME: 'Đảng bộ tỉnh Hưng Yên', ROOT_UNIT_TIER: 'province' });
    t.setClock('2025-04-10');
  });
  afterAll(async () => t?.close());

  it('cells moved between two communes directly under the province: each commune counts the steps of its own cells', async () => {
    const rows: ImportRow[] = [
      { code: 'X1', name: 'Đảng bộ xã X1', tier: 'grassroots', parentCode: '' },
      { code: 'X2', name: 'Đảng bộ xã X2', tier: 'grassroots', parentCode: '' },
      ...Array.from({ length: 10 }, (_, i) => ({
        code: `X1-${i + 1}`,
        name: `Chi bộ thôn ${i + 1}`,
        tier: 'cell' as const,
        parentCode: 'X1',
      })),
      ...Array.from({ length: 10 }, (_, i) => ({
        code: `X2-${i + 1}`,
        name: `Chi bộ thôn ${i + 1}`,
        tier: 'cell' as const,
        parentCode: 'X2',
      })),
    ];
    const { ids } = await plannedTree(t, rows);
    await expectExact(t, [t.rootUnitId, ids.X1, ids.X2]);

    // Nine of X1's ten cells move to X2.
    const moved = rows.filter((r) => r.parentCode === 'X1' && r.code !== 'X1-1').map((r) => ({ ...r, parentCode: 'X2' }));
    expect((await importJson(t, moved)).body).toEqual({ created: 0, updated: 9, unchanged: 0 });

    const { actual } = await progressAndRecount(t, t.rootUnitId, 'child');
    const x1 = actual.rows.find((r: any) => r.key === 'X1');
    const x2 = actual.rows.find((r: any) => r.key === 'X2');
    // X1 and its one cell; X2 and its nineteen cells: 2 and 20 units, and as many rows of each step.
    expect([x1.units, x1.steps[0].notStarted]).toEqual([2, 2]);
    expect([x2.units, x2.steps[0].notStarted]).toEqual([20, 20]);
    await expectExact(t, [t.rootUnitId, ids.X1, ids.X2]);
  });
});

describe('re-parenting keeps the progress counters exact at every depth (national root)', () => {
  let t: TestApp;
  let ids: Record<string, number>;
  const rows: ImportRow[] = [];
  for (const p of [1, 2]) {
    rows.push({ code: `P${p}`, name: `Tỉnh ủy ${p}`, tier: 'province', parentCode: '' });
    for (const d of [1, 2]) {
      rows.push({ code: `P${p}-${d}`, name: `Huyện ủy ${p}.${d}`, tier: 'district', parentCode: `P${p}` });
      for (const c of [1, 2]) {
        rows.push({ code: `P${p}-${d}-${c}`, name: `Đảng ủy xã ${p}.${d}.${c}`, tier: 'grassroots', parentCode: `P${p}-${d}` });
        for (const k of [1, 2])
          rows.push({ code: `P${p}-${d}-${c}-${k}`, name: `Chi bộ ${k}`, tier: 'cell', parentCode: `P${p}-${d}-${c}` });
      }
    }
  }
  const move = async (code: string, parentCode: string) => {
    const row = rows.find((r) => r.code === code)!;
    const res = await importJson(t, [{ ...row, parentCode }]);
    expect(res.status).toBe(200);
  };
  const roots = () => [t.rootUnitId, ids.P1, ids.P2, ids['P1-1'], ids['P2-1']];

  beforeAll(async () => {
    t = await startTestApp({ ROOT_UNIT_CODE: 'TW', ROOT_UNIT_NAME: 'Ban Chấp hành Trung ương', ROOT_UNIT_TIER: 'central' });
    t.setClock('2025-04-10');
    ({ ids } = await plannedTree(t, rows));
    // Some steps progressed and overdue, so that the moved counts are not all "not started".
    await t.db.query(`UPDATE unit_steps SET status = 'completed' WHERE step_no = 1 AND unit_id = ANY($1::int[])`, [
      ['P1-1', 'P1-1-1', 'P1-1-1-1', 'P2-2-2-2'].map((c) => ids[c]),
    ]);
    await t.db.query(`UPDATE unit_steps SET due_date = '2025-03-01' WHERE step_no = 2`);
  });
  afterAll(async () => t?.close());

  it('starts exact', () => expectExact(t, roots()));
  it('a cell between communes of different provinces', async () => {
    await move('P1-1-1-1', 'P2-1-1');
    await expectExact(t, roots());
  });
  it('a commune between districts of different provinces', async () => {
    await move('P1-1-1', 'P2-2');
    await expectExact(t, roots());
  });
  it('a district into the other province', async () => {
    await move('P1-2', 'P2');
    await expectExact(t, roots());
  });
  it('a whole province into another: everything under it moves in one import', async () => {
    const { rows: children } = await t.db.query(`SELECT code FROM units WHERE parent_id = $1`, [ids.P1]);
    const res = await importJson(
      t,
      children.map((c) => ({ ...rows.find((r) => r.code === c.code)!, parentCode: 'P2' })),
    );
    expect(res.status).toBe(200);
    await expectExact(t, roots());
  });
  it('the overdue report equals the recount after the moves', async () => {
    const res = await t.request('GET', `/api/reports/overdue?rootId=${ids.P2}&pageSize=200`, { token: t.adminToken });
    const expected = await recountOverdue(t, ids.P2, '2025-04-10');
    expect(res.body.total).toBe(expected.length);
    expect(res.body.items.map((i: any) => [i.unitId, i.stepNo])).toEqual(expected.map((i) => [i.unitId, i.stepNo]));
  });
});

describe('PATCH /api/units/:id {parentId}', () => {
  let t: TestApp;
  let ids: Record<string, number>;
  const rows: ImportRow[] = [
    { code: 'P', name: 'Tỉnh ủy P', tier: 'province', parentCode: '' },
    { code: 'D1', name: 'Huyện ủy D1', tier: 'district', parentCode: 'P' },
    { code: 'D2', name: 'Huyện ủy D2', tier: 'district', parentCode: 'P' },
    { code: 'D1-1', name: 'Đảng ủy xã D1-1', tier: 'grassroots', parentCode: 'D1' },
    { code: 'D1-2', name: 'Đảng ủy xã D1-2', tier: 'grassroots', parentCode: 'D1' },
    { code: 'D2-1', name: 'Đảng ủy xã D2-1', tier: 'grassroots', parentCode: 'D2' },
    { code: 'D1-1-1', name: 'Chi bộ D1-1-1', tier: 'cell', parentCode: 'D1-1' },
    { code: 'D1-1-2', name: 'Chi bộ D1-1-2', tier: 'cell', parentCode: 'D1-1' },
    { code: 'Q', name: 'Tỉnh ủy Q', tier: 'province', parentCode: '' },
    { code: 'Q1', name: 'Huyện ủy Q1', tier: 'district', parentCode: 'Q' },
  ];
  const patch = (id: number, body: unknown, token = t.adminToken) => t.request('PATCH', `/api/units/${id}`, { token, body });
  const brokenPaths = async () =>
    (
      await t.db.query(
        `SELECT c.code FROM units c JOIN units p ON p.id = c.parent_id WHERE c.path <> p.path || c.id || '/' OR c.depth <> p.depth + 1`,
      )
    ).rows;

  beforeAll(async () => {
    t = await startTestApp({ ROOT_UNIT_CODE: 'TW', ROOT_UNIT_NAME: 'Ban Chấp hành Trung ương', ROOT_UNIT_TIER: 'central' });
    t.setClock('2025-04-10');
    ({ ids } = await plannedTree(t, rows));
    await t.db.query(`UPDATE unit_steps SET status = 'completed' WHERE step_no = 1 AND unit_id = ANY($1::int[])`, [
      [ids['D1-1'], ids['D1-1-1']],
    ]);
  });
  afterAll(async () => t?.close());

  it('an admin of the province moves a commune with its cells to another district: subtree paths, counters and reports follow', async () => {
    const admin = await t.loginAs('admin', ids.P);
    const res = await patch(ids['D1-1'], { parentId: ids.D2 }, admin);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: ids['D1-1'], parentId: ids.D2, childrenCount: 2 });
    const { rows: cells } = await t.db.query(`SELECT path, depth FROM units WHERE id = $1`, [ids['D1-1-1']]);
    expect(cells[0]).toEqual({ path: `${t.rootUnitId}/${ids.P}/${ids.D2}/${ids['D1-1']}/${ids['D1-1-1']}/`, depth: 4 });
    expect(await brokenPaths()).toEqual([]);
    await expectExact(t, [t.rootUnitId, ids.P, ids.D1, ids.D2]);
  });

  it('a district moves to another province (its anchor changes, its bucket does not)', async () => {
    expect((await patch(ids.D1, { parentId: ids.Q })).status).toBe(200);
    expect(await brokenPaths()).toEqual([]);
    await expectExact(t, [t.rootUnitId, ids.P, ids.Q, ids.D1]);
  });

  it('the same parent again changes nothing', async () => {
    const res = await patch(ids.D1, { parentId: ids.Q });
    expect(res.status).toBe(200);
    expect(res.body.parentId).toBe(ids.Q);
  });

  it('a parent inside the unit’s own subtree: 409 CONFLICT, nothing moved', async () => {
    const res = await patch(ids.D2, { parentId: ids['D1-1'] });
    expectError(res, 409, 'CONFLICT');
    expect(res.body.message).toMatch(/vòng lặp/);
    const { rows: d2 } = await t.db.query(`SELECT parent_id AS "parentId" FROM units WHERE id = $1`, [ids.D2]);
    expect(d2[0].parentId).toBe(ids.P);
  });

  it('a parent whose tier is not above the unit’s: 400 on parentId', async () => {
    const res = await patch(ids['D1-2'], { parentId: ids['D2-1'] });
    expectError(res, 400, 'VALIDATION_FAILED');
    expect(res.body.details).toEqual([{ field: 'parentId', reason: expect.stringContaining('phải thấp hơn') }]);
    expectError(await patch(ids.D2, { parentId: ids.D2 }), 409, 'CONFLICT');
  });

  it('the root, an unknown parent and malformed ids are 400', async () => {
    expectError(await patch(t.rootUnitId, { parentId: ids.P }), 400, 'VALIDATION_FAILED');
    const unknown = await patch(ids['D1-2'], { parentId: 2_000_000_000 });
    expectError(unknown, 400, 'VALIDATION_FAILED');
    expect(unknown.body.details[0].field).toBe('parentId');
    for (const parentId of [0, -1, 2 ** 31, 'D2', 1.5, null]) {
      expectError(await patch(ids['D1-2'], { parentId }), 400, 'VALIDATION_FAILED');
    }
  });

  it('who may: an admin whose subtree strictly holds the unit and holds the new parent', async () => {
    // An editor in scope may rename, not move.
    const editor = await t.loginAs('editor', ids.P);
    expectError(await patch(ids['D2-1'], { parentId: ids.D1 }, editor), 403, 'FORBIDDEN_SCOPE');
    expect((await patch(ids['D2-1'], { name: 'Đảng ủy xã D2-1 mới' }, editor)).status).toBe(200);
    // The unit's own admin cannot re-parent it.
    const own = await t.loginAs('admin', ids['D2-1']);
    expectError(await patch(ids['D2-1'], { parentId: ids.D1 }, own), 403, 'FORBIDDEN_SCOPE');
    // An admin of P cannot move a unit of P into Q (outside P's subtree), nor a unit of Q into P.
    const adminP = await t.loginAs('admin', ids.P);
    expectError(await patch(ids['D2-1'], { parentId: ids.Q1 }, adminP), 403, 'FORBIDDEN_SCOPE');
    expectError(await patch(ids.Q1, { parentId: ids.P }, adminP), 403, 'FORBIDDEN_SCOPE');
    const { rows } = await t.db.query(`SELECT code, parent_id AS "parentId" FROM units WHERE id = ANY($1::int[]) ORDER BY code`, [
      [ids['D2-1'], ids.Q1],
    ]);
    expect(rows).toEqual([
      { code: 'D2-1', parentId: ids.D2 },
      { code: 'Q1', parentId: ids.Q },
    ]);
    await expectExact(t, [t.rootUnitId, ids.P, ids.Q]);
  });
});
