import { startTestApp, TestApp } from '../setup/test-app';
import { importJson } from '../factories/import';
import { countersAndRecount, progressAndRecount, topCountersAndRecount } from '../factories/reports';
import { act, plannedTree } from '../factories/workflow';
import type { ImportRow } from '../factories/tree';

/**
 * Rule: a unit moved (PATCH parentId, import, merge, dissolution) into the subtree of an active plan
 * gets that plan's steps, with the due dates of its tier or its own deadline; a unit moved out of
 * every planned subtree loses its not-started steps and keeps the steps that were worked on, with
 * their history. A plan whose root is merged into a new unit follows it. Counters stay exact.
 *
 * Tree: province P walks the plan (root of the plan), province Q walks none.
 */
const TREE: ImportRow[] = [
  { code: 'P', name: 'Đảng bộ tỉnh P', tier: 'province', parentCode: '' },
  { code: 'PD', name: 'Đảng bộ huyện PD', tier: 'district', parentCode: 'P' },
  { code: 'PD-1', name: 'Đảng bộ xã PD-1', tier: 'grassroots', parentCode: 'PD' },
  { code: 'PD-1-1', name: 'Chi bộ thôn PD-1-1', tier: 'cell', parentCode: 'PD-1' },
  { code: 'PD-2', name: 'Đảng bộ xã PD-2', tier: 'grassroots', parentCode: 'PD' },
  { code: 'PD-2-1', name: 'Chi bộ thôn PD-2-1', tier: 'cell', parentCode: 'PD-2' },
  { code: 'PD-3', name: 'Đảng bộ xã PD-3', tier: 'grassroots', parentCode: 'PD' },
  { code: 'Q', name: 'Đảng bộ tỉnh Q', tier: 'province', parentCode: '' },
  { code: 'QD', name: 'Đảng bộ huyện QD', tier: 'district', parentCode: 'Q' },
  { code: 'QD-1', name: 'Đảng bộ xã QD-1', tier: 'grassroots', parentCode: 'QD' },
  { code: 'QD-1-1', name: 'Chi bộ thôn QD-1-1', tier: 'cell', parentCode: 'QD-1' },
  { code: 'QD-1-2', name: 'Chi bộ thôn QD-1-2', tier: 'cell', parentCode: 'QD-1' },
  { code: 'QD-2', name: 'Đảng bộ xã QD-2', tier: 'grassroots', parentCode: 'QD' },
  { code: 'QD-2-1', name: 'Chi bộ thôn QD-2-1', tier: 'cell', parentCode: 'QD-2' },
  { code: 'QD-3', name: 'Đảng bộ xã QD-3', tier: 'grassroots', parentCode: 'QD' },
];
/** A cell has the steps that apply to its tier: 13 (no sub-committees, step 2, nor cadre-planning review, step 6). */
const CELL_STEPS = 13;
const DECISION = { effectiveOn: '2025-04-01', decisionRef: 'Quyết định số 9-QĐ/TW' };

describe('plan steps follow a unit moved into or out of the subtree of an active plan', () => {
  let t: TestApp;
  let ids: Record<string, number>;
  let planId: number;
  let newCommune: number;

  const steps = async (id: number) =>
    (
      await t.db.query(
        `SELECT step_no AS no, status, plan_id AS "planId", to_char(due_date, 'YYYY-MM-DD') AS due FROM unit_steps WHERE unit_id = $1 ORDER BY step_no`,
        [id],
      )
    ).rows;
  const patchParent = async (id: number, parentId: number) => {
    const res = await t.request('PATCH', `/api/units/${id}`, { token: t.adminToken, body: { parentId } });
    expect(res.status).toBe(200);
  };
  const expectExact = async () => {
    const counters = await countersAndRecount(t);
    expect(counters.stored).toEqual(counters.recounted);
    const top = await topCountersAndRecount(t);
    expect(top.stored).toEqual(top.recounted);
    for (const root of [t.rootUnitId, ids.P, ids.Q]) {
      for (const groupBy of ['child', 'tier'] as const) {
        const { actual, expected } = await progressAndRecount(t, root, groupBy);
        expect(actual).toEqual(expected);
      }
    }
  };

  beforeAll(async () => {
    t = await startTestApp();
    t.setClock('2025-04-10');
    ({ ids, planId } = await plannedTree(t, TREE, { rootCode: 'P' }));
    await expectExact();
  });
  afterAll(async () => t?.close());

  it('before any move: the plan covers P only', async () => {
    expect(await steps(ids['PD-1'])).toHaveLength(15);
    expect(await steps(ids['QD-1'])).toHaveLength(0);
  });

  it("a commune moved into the planned subtree by PATCH gets the 15 steps with its tier's due dates, its cells too", async () => {
    await patchParent(ids['QD-1'], ids.PD);
    const got = await steps(ids['QD-1']);
    expect(got).toHaveLength(15);
    // The same due dates as a commune that was always there (same tier, same plan, no congress date).
    expect(got.map((s) => [s.no, s.status, s.planId, s.due])).toEqual(
      (await steps(ids['PD-3'])).map((s) => [s.no, 'not_started', planId, s.due]),
    );
    expect(await steps(ids['QD-1-1'])).toHaveLength(CELL_STEPS);
    expect(await steps(ids['QD-1-2'])).toHaveLength(CELL_STEPS);
    await expectExact();
  });

  it('a commune moved out of every planned subtree loses its not-started steps and keeps the worked ones with their history', async () => {
    expect((await act(t, t.adminToken, ids['PD-2'], 1, 'start')).status).toBe(200);
    expect((await act(t, t.adminToken, ids['PD-2'], 1, 'complete')).status).toBe(200);
    expect((await act(t, t.adminToken, ids['PD-2'], 2, 'start')).status).toBe(200);
    await patchParent(ids['PD-2'], ids.QD);
    expect((await steps(ids['PD-2'])).map((s) => [s.no, s.status])).toEqual([
      [1, 'completed'],
      [2, 'in_progress'],
    ]);
    const history = await t.request('GET', `/api/units/${ids['PD-2']}/steps/1/history`, { token: t.adminToken });
    expect(history.status).toBe(200);
    expect(await steps(ids['PD-2-1'])).toEqual([]);
    await expectExact();
  });

  it('moved back by import: the missing steps come back, the worked ones are not given twice', async () => {
    const res = await importJson(t, [{ code: 'PD-2', name: 'Đảng bộ xã PD-2', tier: 'grassroots', parentCode: 'PD' }]);
    expect(res.status).toBe(200);
    const got = await steps(ids['PD-2']);
    expect(got).toHaveLength(15);
    expect(got.slice(0, 3).map((s) => [s.no, s.status])).toEqual([
      [1, 'completed'],
      [2, 'in_progress'],
      [3, 'not_started'],
    ]);
    expect(await steps(ids['PD-2-1'])).toHaveLength(CELL_STEPS);
    await expectExact();
  });

  it('a unit moved in where its own deadline applies takes it: not overdue from birth', async () => {
    // QD-3 is moved in, given its own deadline for step 1, moved out (the step goes, the deadline stays), moved in again.
    await patchParent(ids['QD-3'], ids.PD);
    const put = await t.request('PUT', `/api/units/${ids['QD-3']}/deadlines/1`, {
      token: t.adminToken,
      body: { dueDate: '2025-05-30', reason: 'Đảng bộ mới thành lập: lịch rút gọn' },
    });
    expect(put.status).toBe(200);
    await patchParent(ids['QD-3'], ids.QD);
    expect(await steps(ids['QD-3'])).toEqual([]);
    await patchParent(ids['QD-3'], ids.PD);
    const [first] = await steps(ids['QD-3']);
    expect(first).toMatchObject({ no: 1, status: 'not_started', due: '2025-05-30' });
    const view = await t.request('GET', `/api/units/${ids['QD-3']}/workflow`, { token: t.adminToken });
    expect(view.body.steps[0]).toMatchObject({ overdue: false, dueDateSource: 'unit' });
    await expectExact();
  });

  it('a merge into a planned unit gives the moved cells the steps; a merge into an unplanned new unit takes them away', async () => {
    // QD-2 (no plan) merged into PD-3 (planned): its cell QD-2-1 gets the steps.
    const into = await t.request('POST', '/api/units/merge', {
      token: t.adminToken,
      body: { sourceIds: [ids['QD-2']], into: { id: ids['PD-3'] }, ...DECISION },
    });
    expect(into.status).toBe(200);
    expect(await steps(ids['QD-2-1'])).toHaveLength(CELL_STEPS);
    await expectExact();

    // PD-1 (planned) merged into a new commune under Q: PD-1-1 loses its untouched steps.
    const out = await t.request('POST', '/api/units/merge', {
      token: t.adminToken,
      body: {
        sourceIds: [ids['PD-1']],
        into: { code: 'QD-N', name: 'Đảng bộ xã QD-N', tier: 'grassroots', parentId: ids.QD },
        ...DECISION,
      },
    });
    expect(out.status).toBe(200);
    expect(await steps(ids['PD-1-1'])).toEqual([]);
    newCommune = out.body.target.id;
    expect(await steps(newCommune)).toEqual([]);
    await expectExact();
  });

  it('a dissolution moving the children out of the planned subtree takes their untouched steps', async () => {
    const res = await t.request('POST', `/api/units/${ids['PD-3']}/dissolve`, {
      token: t.adminToken,
      body: { moveChildrenTo: newCommune, ...DECISION },
    });
    expect(res.status).toBe(200);
    expect(await steps(ids['QD-2-1'])).toEqual([]);
    await expectExact();
  });

  it('a plan rooted at a unit merged into a new unit follows it: nothing under it loses a step', async () => {
    const before = (
      await t.db.query(`SELECT count(*)::int AS n FROM unit_steps us JOIN units u ON u.id = us.unit_id WHERE u.status = 'active'`)
    ).rows[0].n;
    const res = await t.request('POST', '/api/units/merge', {
      token: t.adminToken,
      body: { sourceIds: [ids.P], into: { code: 'P2', name: 'Đảng bộ tỉnh P2', tier: 'province', parentId: t.rootUnitId }, ...DECISION },
    });
    expect(res.status).toBe(200);
    const { rows } = await t.db.query(`SELECT root_unit_id AS root FROM plans WHERE id = $1`, [planId]);
    expect(rows[0].root).toBe(res.body.target.id);
    expect(await steps(res.body.target.id)).toHaveLength(15);
    const after = (
      await t.db.query(`SELECT count(*)::int AS n FROM unit_steps us JOIN units u ON u.id = us.unit_id WHERE u.status = 'active'`)
    ).rows[0].n;
    // P's open steps were closed with it (P is no longer active); P2 has 15 of its own.
    expect(after).toBe(before - 15 + 15);
    expect(await steps(ids['QD-1-1'])).toHaveLength(CELL_STEPS);
    await expectExact();
  });
});
