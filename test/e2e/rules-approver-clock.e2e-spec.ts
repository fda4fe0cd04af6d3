import { startTestApp, TestApp } from '../setup/test-app';
import { expectError } from '../setup/errors';
import { act, completeBefore, plannedTree, setStatus, SMALL_TREE, stepRow } from '../factories/workflow';

/**
 * The approver's clock: "the superior ratifies within 15 working days" runs from the submission
 * and belongs to the approver. A plan step carries approvalWorkingDays (15 for step 13 by default,
 * editable per step); submitting sets the step's approval deadline; a submission waiting past it
 * is the approver's overdue item (awaitingApprovalOverdue in progress, approvalsOverdue in the
 * overdue report). Step 14 does not wait for step 13's ratification.
 */
describe("the approver's clock", () => {
  let t: TestApp;
  let ids: Record<string, number>;
  let planId: number;
  let editor: string;
  let supervisor: string;

  beforeAll(async () => {
    t = await startTestApp();
    ({ ids, planId } = await plannedTree(t, SMALL_TREE));
    editor = await t.loginAs('editor', ids['D1-1']);
    supervisor = await t.loginAs('supervisor', ids.D1);
  });
  afterAll(async () => {
    t?.setClock(null);
    await t?.close();
  });

  it('the template: step 13 has a 15-working-day approver clock, the other steps none; step 14 depends on step 12 only', async () => {
    const plan = (await t.request('GET', `/api/plans/${planId}`, { token: t.adminToken })).body;
    const clocks = Object.fromEntries(plan.steps.map((s: any) => [s.no, s.approvalWorkingDays]));
    expect(clocks).toEqual({ ...Object.fromEntries([...Array(15)].map((_, i) => [i + 1, null])), 13: 15 });
    expect(plan.steps.find((s: any) => s.no === 14).dependsOn).toEqual([12]);
  });

  // [submitted on, approval working days, approval due]: weekends and holidays do not count.
  const dues: [string, number, string][] = [
    ['2025-06-02', 15, '2025-06-23'],
    ['2025-08-25', 15, '2025-09-17'], // 1 and 2 September (Quốc khánh) are not working days
    ['2025-06-06', 1, '2025-06-09'], // a Friday: the next working day is Monday
  ];
  it.each(dues)('submitted on %s with %s working days → due %s', async (day, days, due) => {
    const unit = ids['D1-1'];
    await t.request('PATCH', `/api/plans/${planId}/steps/13`, { token: t.adminToken, body: { approvalWorkingDays: days } });
    await completeBefore(t, unit, 13);
    await setStatus(t, unit, 13, 'in_progress');
    t.setClock(day);
    const res = await act(t, editor, unit, 13, 'submit');
    expect([res.status, res.body.status, res.body.approvalDue]).toEqual([200, 'awaiting_approval', due]);
  });

  it("past the deadline the submission is the approver's overdue item: workflow, progress and overdue reports", async () => {
    const unit = ids['D1-1'];
    await t.request('PATCH', `/api/plans/${planId}/steps/13`, { token: t.adminToken, body: { approvalWorkingDays: 15 } });
    await setStatus(t, unit, 13, 'in_progress');
    t.setClock('2025-06-02');
    expect((await act(t, editor, unit, 13, 'submit')).status).toBe(200);

    t.setClock('2025-06-23'); // the last day: not yet overdue
    const onTime = await t.request('GET', `/api/units/${unit}/workflow`, { token: editor });
    expect(onTime.body.steps[12]).toMatchObject({ approvalDue: '2025-06-23', approvalOverdue: false });

    t.setClock('2025-06-24');
    const wf = await t.request('GET', `/api/units/${unit}/workflow`, { token: editor });
    expect(wf.body.steps[12]).toMatchObject({ status: 'awaiting_approval', approvalDue: '2025-06-23', approvalOverdue: true });

    const progress = await t.request('GET', `/api/reports/progress?rootId=${ids.D1}&groupBy=child`, { token: supervisor });
    const row = progress.body.rows.find((r: any) => r.unitId === unit);
    expect(row.steps[12]).toMatchObject({ awaitingApproval: 1, awaitingApprovalOverdue: 1 });
    expect(progress.body.rows.filter((r: any) => r.unitId !== unit).every((r: any) => r.steps[12].awaitingApprovalOverdue === 0)).toBe(
      true,
    );

    const overdue = await t.request('GET', `/api/reports/overdue?rootId=${ids.D1}`, { token: supervisor });
    expect(overdue.body.approvalsOverdue).toEqual([
      {
        unitId: unit,
        code: 'D1-1',
        name: 'Đảng ủy xã D1-1',
        tier: 'grassroots',
        stepNo: 13,
        title: expect.stringContaining('chuẩn y'),
        approvalDue: '2025-06-23',
        daysOverdue: 1,
        approverUnitId: ids.D1,
        approverUnitName: 'Huyện ủy D1',
      },
    ]);
  });

  it('approving ends the clock', async () => {
    const unit = ids['D1-1'];
    const res = await act(t, supervisor, unit, 13, 'approve');
    expect([res.status, res.body.status, res.body.approvalDue, res.body.approvalOverdue]).toEqual([200, 'completed', null, false]);
    const { rows } = await t.db.query(`SELECT approval_due FROM unit_steps WHERE unit_id = $1 AND step_no = 13`, [unit]);
    expect(rows[0].approval_due).toBeNull();
  });

  it('step 14 starts while step 13 awaits ratification', async () => {
    const unit = ids['D2-1'];
    await completeBefore(t, unit, 13);
    await setStatus(t, unit, 13, 'awaiting_approval');
    const res = await act(t, await t.loginAs('editor', unit), unit, 14, 'start');
    expect([res.status, res.body.status]).toEqual([200, 'in_progress']);
    expect((await stepRow(t, unit, 13)).status).toBe('awaiting_approval');
  });

  it('the clock is configurable per approval step, and refused on a step without approval', async () => {
    const ok = await t.request('PATCH', `/api/plans/${planId}/steps/7`, { token: t.adminToken, body: { approvalWorkingDays: 10 } });
    expect(ok.status).toBe(200);
    expect(ok.body.steps.find((s: any) => s.no === 7).approvalWorkingDays).toBe(10);
    const off = await t.request('PATCH', `/api/plans/${planId}/steps/7`, { token: t.adminToken, body: { approvalWorkingDays: null } });
    expect(off.body.steps.find((s: any) => s.no === 7).approvalWorkingDays).toBeNull();
    const bad = await t.request('PATCH', `/api/plans/${planId}/steps/3`, { token: t.adminToken, body: { approvalWorkingDays: 10 } });
    expectError(bad, 400, 'VALIDATION_FAILED');
    expectError(
      await t.request('PATCH', `/api/plans/${planId}/steps/7`, { token: t.adminToken, body: { approvalWorkingDays: 0 } }),
      400,
      'VALIDATION_FAILED',
    );
    expectError(await t.request('PATCH', `/api/plans/${planId}/steps/7`, { token: t.adminToken, body: {} }), 400, 'VALIDATION_FAILED');
  });

  it("the sweep reminds the approvers, not the unit, of a submission waiting past the approver's deadline", async () => {
    const unit = ids['D1-2'];
    // Everything else finished; step 13 submitted long ago, past its own due date and its approval deadline.
    await t.db.query(`UPDATE unit_steps SET status = 'completed' WHERE unit_id = $1 AND step_no <> 13`, [unit]);
    await t.db.query(
      `UPDATE unit_steps SET status = 'awaiting_approval', due_date = '2025-06-01', approval_due = '2025-06-23' WHERE unit_id = $1 AND step_no = 13`,
      [unit],
    );
    const res = await t.request('POST', '/api/reminders/sweep', { token: t.adminToken, body: { asOf: '2025-06-24' } });
    expect(res.status).toBe(200);
    const { rows } = await t.db.query(
      `SELECT kind, unit_id, recipients, payload FROM notifications WHERE key LIKE '%:2025-06-24' ORDER BY id`,
    );
    const approval = rows.filter((r) => r.kind === 'approval_overdue');
    const { rows: approvers } = await t.db.query(
      `SELECT email FROM users WHERE unit_id = $1 AND role IN ('supervisor', 'admin') ORDER BY email`,
      [ids.D1],
    );
    expect(approval).toEqual([expect.objectContaining({ unit_id: ids.D1, recipients: approvers.map((a) => a.email) })]);
    expect(approval[0].payload.items).toEqual([
      expect.objectContaining({ unitId: unit, no: 13, approvalDue: '2025-06-23', daysOverdue: 1 }),
    ]);
    // The unit is not reminded of a step that waits for its superior.
    const unitReminders = rows.filter((r) => r.kind === 'reminder' && r.unit_id === unit);
    expect(unitReminders).toEqual([]);
  });
});
