import { startTestApp, TestApp } from '../setup/test-app';
import { act, communes, completeBefore, plannedTree, setStatus, usersOf } from '../factories/workflow';
import { allPages, countersAndRecount, progressAndRecount, recountOverdue } from '../factories/reports';

/**
 * A submitted step is off the unit's clock: once a step awaits approval, the time is the
 * approver's. Past the step's own due date it is not the unit's overdue item (progress `overdue`,
 * the overdue report, the children list, "Việc cần làm", the workflow view) and the unit is not
 * reminded of it; it becomes the approver's overdue item (`awaitingApprovalOverdue`,
 * `approvalsOverdue`) only past the approval deadline. Every report equals a recount. C1 submits
 * step 7 after its due date; C2, with the same step in progress and the same due date, is the
 * control that shows the unit's overdue is still counted where it belongs.
 */
describe('a submitted step is off the unit’s clock', () => {
  let t: TestApp;
  let ids: Record<string, number>;
  let planId: number;
  let approvalDue: string;
  const STEP = 7;
  const DUE = '2025-05-01';
  const SUBMITTED_ON = '2025-05-05';
  const AFTER_DUE = '2025-05-08';

  beforeAll(async () => {
    t = await startTestApp();
    ({ ids, planId } = await plannedTree(t, communes(2)));
    ids.TW = t.rootUnitId;
    expect(
      (await t.request('PATCH', `/api/plans/${planId}/steps/${STEP}`, { token: t.adminToken, body: { approvalWorkingDays: 10 } })).status,
    ).toBe(200);
    for (const code of ['C1', 'C2']) {
      await completeBefore(t, ids[code], STEP);
      await setStatus(t, ids[code], STEP, 'in_progress');
      await t.db.query(`UPDATE unit_steps SET due_date = $2 WHERE unit_id = $1 AND step_no = $3`, [ids[code], DUE, STEP]);
    }
    // Only step 7 has a due date, so every overdue figure below is about it.
    await t.db.query(`UPDATE unit_steps SET due_date = NULL WHERE step_no <> $1`, [STEP]);
    t.setClock(SUBMITTED_ON);
    const res = await act(t, (await usersOf(t, ids.C1)).editor, ids.C1, STEP, 'submit');
    expect([res.status, res.body.status]).toEqual([200, 'awaiting_approval']);
    approvalDue = res.body.approvalDue;
    expect(approvalDue > AFTER_DUE).toBe(true);
  });
  afterAll(async () => {
    t?.setClock(null);
    await t?.close();
  });

  /** Progress of every root and grouping equals its recount; returns step 7 of C1 and C2 in D's report by child. */
  const progress = async () => {
    for (const root of ['TW', 'P', 'D'])
      for (const groupBy of ['child', 'tier'] as const) {
        const { actual, expected } = await progressAndRecount(t, ids[root], groupBy);
        expect(actual).toEqual(expected);
      }
    const { actual } = await progressAndRecount(t, ids.D, 'child');
    const step = (code: string) => actual.rows.find((r: any) => r.key === code).steps[STEP - 1];
    return { c1: step('C1'), c2: step('C2') };
  };

  const overdueReport = async () => {
    for (const root of ['TW', 'P', 'D']) {
      const today = (await t.request('GET', `/api/reports/progress?rootId=${ids[root]}&groupBy=tier`, { token: t.adminToken })).body.asOf;
      const all = await allPages(t, `/api/reports/overdue?rootId=${ids[root]}`, t.adminToken, 50);
      const expected = await recountOverdue(t, ids[root], today);
      expect(all.total).toBe(expected.length);
      expect(all.items.map((i: any) => [i.unitId, i.stepNo, i.status])).toEqual(expected.map((e) => [e.unitId, e.stepNo, e.status]));
    }
    return (await t.request('GET', `/api/reports/overdue?rootId=${ids.D}`, { token: t.adminToken })).body;
  };

  it('past the step’s due date, before the approval deadline: not the unit’s overdue, nor yet the approver’s', async () => {
    t.setClock(AFTER_DUE);
    const { c1, c2 } = await progress();
    expect(c1).toMatchObject({ awaitingApproval: 1, overdue: 0, awaitingApprovalOverdue: 0 });
    expect(c2).toMatchObject({ inProgress: 1, overdue: 1, awaitingApprovalOverdue: 0 });

    const report = await overdueReport();
    expect(report.items.map((i: any) => i.code)).toEqual(['C2']);
    expect(report.approvalsOverdue).toEqual([]);
    const { stored, recounted } = await countersAndRecount(t);
    expect(stored).toEqual(recounted);
  });

  it('the workflow view, the children list and "Việc cần làm" do not call it overdue', async () => {
    t.setClock(AFTER_DUE);
    const c1 = (await t.request('GET', `/api/units/${ids.C1}/workflow`, { token: t.adminToken })).body.steps[STEP - 1];
    expect(c1).toMatchObject({ status: 'awaiting_approval', overdue: false, daysOverdue: 0, approvalOverdue: false });
    const c2 = (await t.request('GET', `/api/units/${ids.C2}/workflow`, { token: t.adminToken })).body.steps[STEP - 1];
    expect(c2).toMatchObject({ status: 'in_progress', overdue: true, daysOverdue: 7 });

    const children = await t.request('GET', `/api/units/${ids.D}/children?stepNo=${STEP}`, { token: t.adminToken });
    const child = (code: string) => children.body.items.find((i: any) => i.code === code);
    expect([child('C1').progress.overdue, child('C1').step.overdue]).toEqual([0, false]);
    expect([child('C2').progress.overdue, child('C2').step.overdue]).toEqual([1, true]);

    // The unit's own list: C1 has nothing to do on step 7; the district's supervisor sees it to approve, not as overdue.
    const own = await t.request('GET', '/api/work', { token: (await usersOf(t, ids.C1)).editor });
    expect(own.body.items).toEqual([]);
    const district = await t.request('GET', `/api/work?rootId=${ids.D}`, { token: (await usersOf(t, ids.D)).supervisor });
    const reasons = Object.fromEntries(district.body.items.map((i: any) => [i.code, i.steps.map((s: any) => s.reason)]));
    expect(reasons).toEqual({ C1: ['awaiting_approval'], C2: ['overdue'] });
    expect(district.body.counts).toMatchObject({ overdue: 1, awaitingApproval: 1 });
  });

  it('the sweep does not remind the unit of a submitted step past its due date', async () => {
    const asOf = '2025-05-02'; // the first day overdue: a step on the unit's clock is reminded
    const res = await t.request('POST', '/api/reminders/sweep', { token: t.adminToken, body: { asOf } });
    expect(res.status).toBe(200);
    const { rows } = await t.db.query(`SELECT unit_id, payload FROM notifications WHERE kind = 'reminder' AND key LIKE $1`, [`%:${asOf}`]);
    const reminded = Object.fromEntries(rows.map((r) => [r.unit_id, r.payload.steps.map((s: { no: number }) => s.no)]));
    expect(reminded[ids.C2]).toEqual([STEP]);
    expect(reminded[ids.C1]).toBeUndefined();
  });

  it('past the approval deadline it is the approver’s overdue item, still not the unit’s', async () => {
    const day = new Date(`${approvalDue}T00:00:00Z`);
    day.setUTCDate(day.getUTCDate() + 1);
    t.setClock(day.toISOString().slice(0, 10));
    const { c1 } = await progress();
    expect(c1).toMatchObject({ awaitingApproval: 1, overdue: 0, awaitingApprovalOverdue: 1 });
    const report = await overdueReport();
    expect(report.items.map((i: any) => i.code)).toEqual(['C2']);
    expect(report.approvalsOverdue).toEqual([expect.objectContaining({ code: 'C1', stepNo: STEP, approvalDue, daysOverdue: 1 })]);
  });

  it('returned for rework, the step is back on the unit’s clock and overdue again', async () => {
    const back = await act(t, (await usersOf(t, ids.D)).supervisor, ids.C1, STEP, 'return', { note: 'Bổ sung biên bản' });
    expect([back.status, back.body.status]).toEqual([200, 'returned']);
    const { c1 } = await progress();
    expect(c1).toMatchObject({ returned: 1, overdue: 1, awaitingApprovalOverdue: 0 });
    await overdueReport();
  });
});
