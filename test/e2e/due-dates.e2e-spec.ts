import { startTestApp, TestApp } from '../setup/test-app';
import { expectError } from '../setup/errors';
import type { ImportRow } from '../factories/tree';
import { dueDates, plannedTree, setCongressDate } from '../factories/workflow';

/**
 * Due dates from the plan's rules: absolute dates per tier, calendar-day offsets, and
 * working-day offsets that skip weekends and the seeded holidays (Tết Ất Tỵ: 27–31/1/2025) and count
 * the make-up Saturday 8/2/2025; absolute and calendar-day dates on a day off move to the next working
 * day. Every expected date below is counted by hand on the 2024–2025 calendar.
 */
const TREE: ImportRow[] = [
  { code: 'P', name: 'Tỉnh ủy P', tier: 'province', parentCode: '' },
  { code: 'D', name: 'Huyện ủy D', tier: 'district', parentCode: 'P' },
  { code: 'G', name: 'Đảng ủy xã G', tier: 'grassroots', parentCode: 'D' },
  ...['K1', 'K2', 'K3', 'K4'].map((code): ImportRow => ({ code, name: `Chi bộ ${code}`, tier: 'cell', parentCode: 'G' })),
];

describe('due dates', () => {
  let t: TestApp;
  let ids: Record<string, number>;
  let planId: number;

  beforeAll(async () => {
    t = await startTestApp();
    ({ ids, planId } = await plannedTree(t, TREE));
  });
  afterAll(async () => t?.close());

  const workflow = async (unitId: number) => {
    const res = await t.request('GET', `/api/units/${unitId}/workflow`, { token: t.adminToken });
    expect(res.status).toBe(200);
    return res.body;
  };
  const patchStep = (no: number, deadlines: unknown) =>
    t.request('PATCH', `/api/plans/${planId}/steps/${no}`, { token: t.adminToken, body: { deadlines } });

  it('step 1 has an absolute date per tier, with or without a congress date', async () => {
    // 30/11/2024 is a Saturday: the grassroots and cell date moves to Monday 2/12/2024.
    const expected: Record<string, string> = { P: '2024-09-30', D: '2024-10-31', G: '2024-12-02', K1: '2024-12-02' };
    for (const [code, date] of Object.entries(expected)) {
      expect((await dueDates(t, ids[code]))[1]).toBe(date);
      const step1 = (await workflow(ids[code])).steps[0];
      expect(step1).toMatchObject({ no: 1, dueDate: date, unscheduled: false });
    }
  });

  it('a unit without a congress date has offset steps unscheduled: dueDate null', async () => {
    const wf = await workflow(ids.K4);
    expect(wf.congressDate).toBeNull();
    expect(wf.steps).toHaveLength(13); // a cell: no step 2 nor 6
    for (const s of wf.steps.slice(1)) expect(s).toMatchObject({ dueDate: null, unscheduled: true, overdue: false });
  });

  it('calendar-day and working-day offsets from a congress on Wed 5/2/2025', async () => {
    const res = await setCongressDate(t, ids.K1, '2025-02-05');
    expect(res.status).toBe(200);
    expect(res.body.congressDate).toBe('2025-02-05');
    expect(await dueDates(t, ids.K1)).toEqual({
      1: '2024-12-02', // absolute 30/11/2024, a Saturday: moved to Monday
      // no 2 nor 6: a cell does not have them
      3: '2024-11-12', // -85
      4: '2024-11-12',
      5: '2024-11-27', // -70
      7: '2024-11-22', // -75
      8: '2024-12-02', // -65
      9: '2024-12-12', // -55
      10: '2024-12-10', // -35 working days: back over Tết (27–31/1) and 1/1
      11: '2025-02-04', // -1 calendar day (the -30 working days are the milestone of other tiers)
      12: '2025-02-05', // the congress day
      13: '2025-02-13', // +7 working days: 6, 7, Sat 8 (make-up day), 10, 11, 12, 13
      14: '2025-02-25', // +15 working days
      15: '2025-03-07', // +30 calendar days
    });
    const wf = await workflow(ids.K1);
    expect(wf.congressDate).toBe('2025-02-05');
    expect(wf.steps.find((s: any) => s.no === 12)).toMatchObject({ dueDate: '2025-02-05', unscheduled: false });
  });

  it('a negative working-day rule set by PATCH skips the Tết week and the weekend', async () => {
    const res = await patchStep(11, { cell: { daysFromCongress: -5, workingDays: true } });
    expect(res.status).toBe(200);
    const step = res.body.steps.find((s: any) => s.no === 11);
    expect(step.deadlines.cell).toEqual({ daysFromCongress: -5, workingDays: true });
    // Tiers not named keep their rule.
    expect(step.deadlines.grassroots).toEqual({ daysFromCongress: -1, workingDays: false });
    // Before Wed 5/2: Tue 4/2 (1), Mon 3/2 (2), [Tết 27–31/1, weekends], Fri 24/1 (3), Thu 23/1 (4), Wed 22/1 (5).
    expect((await dueDates(t, ids.K1))[11]).toBe('2025-01-22');
    // A calendar-day rule would have given 31/1, in the middle of Tết.
    await setCongressDate(t, ids.K2, '2025-01-29'); // a Tết holiday itself: the 5 working days strictly before it
    expect((await dueDates(t, ids.K2))[11]).toBe('2025-01-20');
  });

  it('a positive working-day rule counts forward over Tết', async () => {
    expect((await patchStep(13, { cell: { daysFromCongress: 3, workingDays: true } })).status).toBe(200);
    expect((await setCongressDate(t, ids.K3, '2025-01-24')).status).toBe(200);
    // After Fri 24/1: weekend, Tết 27–31/1, weekend, then Mon 3/2 (1), Tue 4/2 (2), Wed 5/2 (3).
    expect((await dueDates(t, ids.K3))[13]).toBe('2025-02-05');
    // From a holiday (Wed 29/1) the count starts at the next working day too.
    expect((await dueDates(t, ids.K2))[13]).toBe('2025-02-05');
    // 14 keeps its +15 working days: 3/2 … 20/2 is 15 working days with the make-up Saturday 8/2.
    expect((await dueDates(t, ids.K3))[14]).toBe('2025-02-20');
  });

  it('an absolute rule replaces an offset for one tier only', async () => {
    expect((await patchStep(15, { cell: { date: '2025-04-15' } })).status).toBe(200);
    expect((await dueDates(t, ids.K1))[15]).toBe('2025-04-15');
    expect((await dueDates(t, ids.K4))[15]).toBe('2025-04-15'); // no congress date needed for an absolute rule
    expect((await dueDates(t, ids.G))[15]).toBeNull(); // grassroots keeps +30 days, and G has no congress date
  });

  it('refuses malformed rules with 400 VALIDATION_FAILED and changes nothing', async () => {
    const before = await dueDates(t, ids.K1);
    for (const deadlines of [
      { village: { date: '2025-01-01' } },
      { cell: { date: '2025-02-30' } },
      { cell: { daysFromCongress: 1.5 } },
      { cell: { daysFromCongress: 5, date: '2025-01-01' } },
      { cell: { daysFromCongress: 3, workingDays: 'yes' } },
      { cell: {} },
    ]) {
      expectError(await patchStep(11, deadlines), 400, 'VALIDATION_FAILED');
    }
    expectError(await patchStep(16, { cell: { date: '2025-01-01' } }), 404, 'NOT_FOUND');
    const editor = await t.loginAs('editor', t.rootUnitId);
    const res = await t.request('PATCH', `/api/plans/${planId}/steps/11`, {
      token: editor,
      body: { deadlines: { cell: { date: '2025-01-01' } } },
    });
    expectError(res, 403, 'FORBIDDEN_SCOPE');
    expect(await dueDates(t, ids.K1)).toEqual(before);
  });
});
