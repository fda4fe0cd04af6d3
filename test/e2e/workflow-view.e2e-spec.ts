import { toLocalDate } from '@app/core';
import { startTestApp, TestApp } from '../setup/test-app';
import { expectError } from '../setup/errors';
import { act, plannedTree, setCongressDate, setStatus, SMALL_TREE } from '../factories/workflow';

/**
 * GET /api/units/:id/workflow: the actions computed for the caller, progress and overdue flags.
 * Overdue runs from the day after the due date (Vietnam calendar) while the step is open.
 */
const DAY = 24 * 3600 * 1000;
const today = () => toLocalDate(new Date());
const daysFromToday = (n: number) => toLocalDate(new Date(Date.now() + n * DAY));

describe('the workflow view', () => {
  let t: TestApp;
  let ids: Record<string, number>;
  let planId: number;
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    t = await startTestApp();
    ({ ids, planId } = await plannedTree(t, SMALL_TREE));
    tokens.editor = await t.loginAs('editor', ids['D1-1']);
    tokens.viewer = await t.loginAs('viewer', ids['D1-1']);
    tokens.ownSupervisor = await t.loginAs('supervisor', ids['D1-1']);
    tokens.districtSupervisor = await t.loginAs('supervisor', ids.D1);
    tokens.districtEditor = await t.loginAs('editor', ids.D1);
    tokens.outsider = await t.loginAs('supervisor', ids.D2);
  });
  afterAll(async () => t?.close());

  const view = async (who: string, code = 'D1-1') => {
    const res = await t.request('GET', `/api/units/${ids[code]}/workflow`, { token: tokens[who] });
    expect(res.status).toBe(200);
    return res.body;
  };
  const actionsOf = async (who: string, code = 'D1-1') =>
    Object.fromEntries((await view(who, code)).steps.map((s: any) => [s.no, s.allowedActions]));

  it('lists the 15 steps with the contract fields', async () => {
    const wf = await view('editor');
    expect(wf).toMatchObject({ unitId: ids['D1-1'], planId, congressDate: null });
    expect(wf.steps.map((s: any) => s.no)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]);
    expect(wf.steps[6]).toEqual(
      expect.objectContaining({
        no: 7,
        code: 'personnel_scheme',
        title: expect.any(String),
        status: 'not_started',
        dueDate: null,
        overdue: false,
        requiresApproval: true,
        version: 1,
        allowedActions: [],
        updatedAt: expect.any(String),
        updatedBy: null,
      }),
    );
  });

  it('allowedActions on fresh steps: the editor may start step 1, a superior supervisor may also skip', async () => {
    const editor = await actionsOf('editor');
    expect(editor[1]).toEqual(['start']);
    for (let no = 2; no <= 15; no++) expect({ no, a: editor[no] }).toEqual({ no, a: [] }); // prerequisites pending
    expect((await actionsOf('districtEditor'))[1]).toEqual(['start']);
    expect((await actionsOf('ownSupervisor'))[1]).toEqual(['start']);
    const superior = await actionsOf('districtSupervisor');
    expect(superior[1]).toEqual(['start', 'skip']);
    expect(superior[2]).toEqual(['skip']); // skipping needs no prerequisites
    expect(Object.values(await actionsOf('viewer')).every((a: any) => a.length === 0)).toBe(true);
    expectError(await t.request('GET', `/api/units/${ids['D1-1']}/workflow`, { token: tokens.outsider }), 403, 'FORBIDDEN_SCOPE');
  });

  it('allowedActions on an awaiting and a completed step: only the superior supervisor acts', async () => {
    const unit = ids['D1-1'];
    await setStatus(t, unit, [1, 2, 3, 4, 5, 6], 'completed');
    await setStatus(t, unit, 7, 'awaiting_approval');
    for (const who of ['editor', 'ownSupervisor', 'districtEditor', 'viewer']) {
      const a = await actionsOf(who);
      expect({ who, 3: a[3], 7: a[7] }).toEqual({ who, 3: [], 7: [] });
    }
    const superior = await actionsOf('districtSupervisor');
    expect({ 3: superior[3], 7: superior[7] }).toEqual({ 3: ['reopen'], 7: ['approve', 'return'] });
    // Once returned, the unit resubmits.
    await setStatus(t, unit, 7, 'returned');
    expect((await actionsOf('editor'))[7]).toEqual(['submit']);
    expect((await actionsOf('districtSupervisor'))[7]).toEqual(['submit']);
  });

  it('the allowed actions are the ones the API then accepts', async () => {
    const unit = ids['D1-2'];
    const before = await actionsOf('districtSupervisor', 'D1-2');
    expect(before[1]).toEqual(['start', 'skip']);
    expect((await act(t, tokens.districtSupervisor, unit, 1, 'skip', { note: 'Đã quán triệt chung' })).status).toBe(200);
    const after = await actionsOf('districtSupervisor', 'D1-2');
    expect(after[1]).toEqual(['reopen']);
    expect(after[2]).toEqual(['start', 'skip']);
  });

  it('progress counts finished steps; every open step past its due date is overdue', async () => {
    const unit = ids['D1-1-1'];
    expect((await setCongressDate(t, unit, '2025-02-05')).status).toBe(200);
    await setStatus(t, unit, [1, 3], 'completed');
    await setStatus(t, unit, 4, 'skipped');
    await setStatus(t, unit, 5, 'in_progress');
    const wf = await view('editor', 'D1-1-1');
    // A cell has 13 steps (no step 2 nor 6). Every due date lies in 2024–2025, before today: the 10
    // open steps are overdue, finished ones are not.
    expect(wf.progress).toEqual({ completed: 3, total: 13, overdue: 10 });
    const overdue = wf.steps.filter((s: any) => s.overdue).map((s: any) => s.no);
    expect(overdue).toEqual([5, 7, 8, 9, 10, 11, 12, 13, 14, 15]);
    for (const s of wf.steps) expect(s.dueDate < today()).toBe(true);
  });

  it('a step due today is not overdue yet; due yesterday it is; unscheduled steps never are', async () => {
    const unit = ids['D1-1-2']; // a cell without a congress date
    // Due dates set as stored (a plan's date rule would move off weekends and holidays, and today + 30
    // may lie past the calendar): this is about "overdue as of today", whatever day today is.
    const due = (no: number, date: string) =>
      t.db.query(`UPDATE unit_steps SET due_date = $3 WHERE unit_id = $1 AND step_no = $2`, [unit, no, date]);
    await due(3, today());
    await due(4, daysFromToday(-1));
    await due(5, daysFromToday(30));
    const wf = await view('editor', 'D1-1-2');
    const byNo = Object.fromEntries(wf.steps.map((s: any) => [s.no, s]));
    expect(byNo[1]).toMatchObject({ dueDate: '2024-12-02', overdue: true }); // 30/11/2024, a Saturday, moved
    expect(byNo[3]).toMatchObject({ dueDate: today(), overdue: false });
    expect(byNo[4]).toMatchObject({ dueDate: daysFromToday(-1), overdue: true });
    expect(byNo[5]).toMatchObject({ dueDate: daysFromToday(30), overdue: false });
    expect(byNo[7]).toMatchObject({ dueDate: null, overdue: false, unscheduled: true });
    // A cell's 13 steps (no step 2 nor 6).
    expect(wf.progress).toEqual({ completed: 0, total: 13, overdue: 2 });
    // Completing the overdue step clears its flag.
    await setStatus(t, unit, [1, 4], 'completed');
    expect((await view('editor', 'D1-1-2')).progress).toEqual({ completed: 2, total: 13, overdue: 0 });
  });

  it('an unknown unit is 404; a step number outside the plan is 404', async () => {
    expectError(await t.request('GET', '/api/units/999999/workflow', { token: t.adminToken }), 404, 'NOT_FOUND');
    expectError(await act(t, t.adminToken, ids['D1-1'], 16, 'start', { expectedVersion: 1 }), 404, 'NOT_FOUND');
    expectError(await t.request('GET', `/api/units/${ids['D1-1']}/steps/16/history`, { token: t.adminToken }), 404, 'NOT_FOUND');
  });
});
