import { startTestApp, TestApp } from '../setup/test-app';
import { expectError } from '../setup/errors';
import type { ImportRow } from '../factories/tree';
import { dueDates, plannedTree, setCongressDate, setStatus } from '../factories/workflow';

/**
 * POST /api/plans/:id/steps/:no/preview: the effect of new deadline rules on the open steps
 * (how many due dates move, earlier or later, and which), computed without saving anything; the
 * PATCH that follows moves exactly those.
 */
const TREE: ImportRow[] = [
  { code: 'P', name: 'Tỉnh ủy P', tier: 'province', parentCode: '' },
  { code: 'D', name: 'Huyện ủy D', tier: 'district', parentCode: 'P' },
  { code: 'G', name: 'Đảng ủy xã G', tier: 'grassroots', parentCode: 'D' },
  ...['A', 'B', 'C', 'N'].map((code): ImportRow => ({ code, name: `Chi bộ ${code}`, tier: 'cell', parentCode: 'G' })),
];
const CONGRESS = '2025-02-05';

describe('deadline preview', () => {
  let t: TestApp;
  let ids: Record<string, number>;
  let planId: number;
  const rule = { cell: { daysFromCongress: -10, workingDays: false } };

  beforeAll(async () => {
    t = await startTestApp();
    ({ ids, planId } = await plannedTree(t, TREE));
    // A, B and C have a congress date (N has none: its offset steps have no due date); C finished step 13.
    for (const code of ['A', 'B', 'C']) expect((await setCongressDate(t, ids[code], CONGRESS)).status).toBe(200);
    await setStatus(t, ids.C, 13, 'completed');
  });
  afterAll(async () => t?.close());

  it('says how many open steps move, and which, without changing anything', async () => {
    const before = await Promise.all(['A', 'B', 'C'].map((c) => dueDates(t, ids[c])));
    const { rows: plan } = await t.db.query(`SELECT deadlines FROM plan_steps WHERE plan_id = $1 AND no = 13`, [planId]);
    const res = await t.request('POST', `/api/plans/${planId}/steps/13/preview`, { token: t.adminToken, body: { deadlines: rule } });
    expect(res.status).toBe(200);
    // Step 13 is open for 7 of the 8 units (the root, P, D, G, A, B, C, N; C completed it); only A and B, cells with a congress date, move: 10 days before the congress (Sun 26/1/2025, then Tết: moved to Mon 3/2).
    expect(res.body).toEqual({
      openSteps: 7,
      moved: 2,
      earlier: 2,
      later: 0,
      examples: [
        { unitId: ids.A, code: 'A', name: 'Chi bộ A', from: before[0][13], to: '2025-02-03' },
        { unitId: ids.B, code: 'B', name: 'Chi bộ B', from: before[1][13], to: '2025-02-03' },
      ],
    });
    expect(before[0][13] > '2025-02-03').toBe(true);
    // Nothing saved: the rule and every due date are as before.
    const { rows: after } = await t.db.query(`SELECT deadlines FROM plan_steps WHERE plan_id = $1 AND no = 13`, [planId]);
    expect(after).toEqual(plan);
    expect(await Promise.all(['A', 'B', 'C'].map((c) => dueDates(t, ids[c])))).toEqual(before);
  });

  it('the PATCH then moves exactly the steps the preview named', async () => {
    const before = await dueDates(t, ids.C);
    const res = await t.request('PATCH', `/api/plans/${planId}/steps/13`, { token: t.adminToken, body: { deadlines: rule } });
    expect(res.status).toBe(200);
    expect((await dueDates(t, ids.A))[13]).toBe('2025-02-03');
    expect((await dueDates(t, ids.B))[13]).toBe('2025-02-03');
    expect((await dueDates(t, ids.C))[13]).toBe(before[13]);
    // Previewing the rule now in force moves nothing.
    const again = await t.request('POST', `/api/plans/${planId}/steps/13/preview`, { token: t.adminToken, body: { deadlines: rule } });
    expect(again.body).toMatchObject({ openSteps: 7, moved: 0, examples: [] });
  });

  it('is refused like the PATCH: non-admins, unknown steps, invalid rules', async () => {
    const supervisor = await t.loginAs('supervisor', t.rootUnitId);
    const path = `/api/plans/${planId}/steps/13/preview`;
    expectError(await t.request('POST', path, { token: supervisor, body: { deadlines: rule } }), 403, 'FORBIDDEN_SCOPE');
    expectError(
      await t.request('POST', `/api/plans/${planId}/steps/16/preview`, { token: t.adminToken, body: { deadlines: rule } }),
      404,
      'NOT_FOUND',
    );
    expectError(
      await t.request('POST', `/api/plans/999999/steps/1/preview`, { token: t.adminToken, body: { deadlines: rule } }),
      404,
      'NOT_FOUND',
    );
    expectError(
      await t.request('POST', path, { token: t.adminToken, body: { deadlines: { cell: { daysFromCongress: 'x' } } } }),
      400,
      'VALIDATION_FAILED',
    );
    expectError(await t.request('POST', path, { token: t.adminToken, body: {} }), 400, 'VALIDATION_FAILED');
  });
});
