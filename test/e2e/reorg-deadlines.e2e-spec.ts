import { startTestApp, TestApp } from '../setup/test-app';
import { expectError } from '../setup/errors';
import { plannedTree, setCongressDate, SMALL_TREE } from '../factories/workflow';

/**
 * A new committee gets its own schedule: the commune created by a merge on 01/07/2025 inherits the
 * plan's fixed dates (already past); a supervisor of a strict ancestor sets its own deadlines
 * (PUT /api/units/:id/deadlines/:no), the workflow shows where each due date comes from, the plan's
 * recomputations leave them alone, and DELETE returns the step to the plan's rule.
 */
describe('unit deadlines', () => {
  let t: TestApp;
  let ids: Record<string, number>;
  let planId: number;
  let xn: number;
  const tokens: Record<string, string> = {};

  const view = async (id = xn) => {
    const res = await t.request('GET', `/api/units/${id}/workflow`, { token: t.adminToken });
    expect(res.status).toBe(200);
    return res.body;
  };
  const put = (no: number, body: unknown, token = tokens.districtSupervisor, id = xn) =>
    t.request('PUT', `/api/units/${id}/deadlines/${no}`, { token, body });

  beforeAll(async () => {
    t = await startTestApp();
    t.setClock('2025-07-10');
    ({ ids, planId } = await plannedTree(t, SMALL_TREE));
    const merged = await t.request('POST', '/api/units/merge', {
      token: t.adminToken,
      body: {
        sourceIds: [ids['D1-1'], ids['D1-2']],
        into: { code: 'XN', name: 'Đảng bộ xã Xuân Nam', committeeName: 'Đảng ủy xã Xuân Nam', tier: 'grassroots', parentId: ids.D2 },
        effectiveOn: '2025-07-01',
        decisionRef: 'Nghị quyết số 1656/NQ-UBTVQH15',
      },
    });
    expect(merged.status).toBe(200);
    xn = merged.body.target.id;
    tokens.districtSupervisor = await t.loginAs('supervisor', ids.D2);
    tokens.districtEditor = await t.loginAs('editor', ids.D2);
    tokens.ownSupervisor = await t.loginAs('supervisor', xn);
    tokens.ownAdmin = await t.loginAs('admin', xn);
  });
  afterAll(async () => t?.close());

  it('the new commune starts with the plan’s fixed date for step 1, overdue from birth', async () => {
    const step1 = (await view()).steps[0];
    expect(step1).toEqual(expect.objectContaining({ dueDate: '2024-12-02', dueDateSource: 'plan', dueDateReason: null, overdue: true }));
  });

  it('a supervisor of a strict ancestor sets the unit’s own deadline: the view says so, the step is no longer overdue', async () => {
    const res = await put(1, { dueDate: '2025-07-31', reason: 'Đảng bộ xã mới thành lập ngày 01/07/2025' });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      unitId: xn,
      stepNo: 1,
      dueDate: '2025-07-31',
      dueDateSource: 'unit',
      reason: 'Đảng bộ xã mới thành lập ngày 01/07/2025',
    });
    const step1 = (await view()).steps[0];
    expect(step1).toEqual(
      expect.objectContaining({
        dueDate: '2025-07-31',
        dueDateSource: 'unit',
        dueDateReason: 'Đảng bộ xã mới thành lập ngày 01/07/2025',
        overdue: false,
      }),
    );
    expect((await view()).steps[1].dueDateSource).toBe('plan');
    const overdue = await t.request('GET', `/api/reports/overdue?rootId=${xn}`, { token: t.adminToken });
    // The cells under it keep the plan's date for step 1 (overdue); the commune itself is not overdue any more.
    expect(overdue.body.items.some((i: any) => i.unitId !== xn && i.stepNo === 1)).toBe(true);
    expect(overdue.body.items.filter((i: any) => i.unitId === xn)).toEqual([]);
  });

  it('recomputations from the plan (congress date, plan rules) leave the unit’s own deadline alone', async () => {
    expect((await put(4, { dueDate: '2025-08-15', reason: 'Lịch rút gọn' })).status).toBe(200);
    expect((await setCongressDate(t, xn, '2025-06-20')).status).toBe(200);
    const steps = (await view()).steps;
    expect(steps[3]).toEqual(expect.objectContaining({ dueDate: '2025-08-15', dueDateSource: 'unit' }));
    // Step 5 follows the plan's rule (days before the congress) and moved with the congress date.
    expect(steps[4].dueDateSource).toBe('plan');
    expect(steps[4].dueDate).not.toBeNull();
    const patched = await t.request('PATCH', `/api/plans/${planId}/steps/1`, {
      token: t.adminToken,
      body: { deadlines: { grassroots: { date: '2025-01-15' } } },
    });
    expect(patched.status).toBe(200);
    expect((await view()).steps[0]).toEqual(expect.objectContaining({ dueDate: '2025-07-31', dueDateSource: 'unit' }));
    // Another commune, without its own deadline, took the new rule.
    expect((await view(ids['D2-1'])).steps[0]).toEqual(expect.objectContaining({ dueDate: '2025-01-15', dueDateSource: 'plan' }));
  });

  it('DELETE returns the step to the plan’s rule', async () => {
    const res = await t.request('DELETE', `/api/units/${xn}/deadlines/1`, { token: tokens.districtSupervisor });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ unitId: xn, stepNo: 1, dueDate: '2025-01-15', dueDateSource: 'plan', reason: null });
    expectError(await t.request('DELETE', `/api/units/${xn}/deadlines/1`, { token: tokens.districtSupervisor }), 404, 'NOT_FOUND');
  });

  it('refuses the unit’s own staff, editors, closed units, bad dates and unknown steps', async () => {
    const body = { dueDate: '2025-08-01', reason: 'Lịch riêng' };
    expectError(await put(2, body, tokens.ownSupervisor), 403, 'FORBIDDEN_SCOPE');
    expectError(await put(2, body, tokens.ownAdmin), 403, 'FORBIDDEN_SCOPE');
    expectError(await put(2, body, tokens.districtEditor), 403, 'FORBIDDEN_SCOPE');
    expectError(await put(2, body, tokens.districtSupervisor, ids['D1-1']), 403, 'FORBIDDEN_SCOPE');
    expectError(await put(2, body, t.adminToken, ids['D1-1']), 409, 'UNIT_CLOSED');
    expectError(await put(2, { dueDate: '2025-02-30', reason: 'x' }), 400, 'VALIDATION_FAILED');
    expectError(await put(2, { dueDate: '2025-08-01', reason: '' }), 400, 'VALIDATION_FAILED');
    expectError(await put(16, body), 404, 'NOT_FOUND');
    expect((await view()).steps[1].dueDateSource).toBe('plan');
  });
});
