import { startTestApp, TestApp } from '../setup/test-app';
import { expectError, rowErrors } from '../setup/errors';
import { importJson } from '../factories/import';
import { countersAndRecount, progressAndRecount, topCountersAndRecount } from '../factories/reports';
import { act, dueDates, plannedTree, setCongressDate, setStatus, SMALL_TREE } from '../factories/workflow';

/**
 * Not every step applies to every tier (issue 11 item 4): a plan step says which tiers get it
 * (`appliesTo`); units of other tiers do not have it at activation, when created later, in reports,
 * due dates and the prerequisite rule. Editing appliesTo while running and a unit's tier change make
 * the units follow (one repository function), with the counters exact.
 * Step 11's milestone (item 8): delegate allocation and the opening date, 30 working days before the
 * congress, marked done by the unit, overdue while not marked.
 */
const TIERS = ['central', 'province', 'district', 'grassroots', 'cell'] as const;
const ALL = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15];
/** The template's default: steps 2 (sub-committees) and 6 (cadre-planning review) are not for cells. */
const STEPS_OF: Record<(typeof TIERS)[number], number[]> = {
  central: ALL,
  province: ALL,
  district: ALL,
  grassroots: ALL,
  cell: ALL.filter((no) => no !== 2 && no !== 6),
};
const stepsOfUnit = async (t: TestApp, unitId: number): Promise<number[]> =>
  (await t.db.query(`SELECT step_no AS no FROM unit_steps WHERE unit_id = $1 ORDER BY 1`, [unitId])).rows.map((r) => r.no);

describe('per-tier steps (appliesTo) and step milestones', () => {
  let t: TestApp;
  let ids: Record<string, number>;
  let planId: number;
  // SMALL_TREE: province P, districts D1/D2, grassroots D1-1/D1-2/D2-1, cells D1-1-1/D1-1-2 (under D1-1).
  const unitOfTier: Record<string, string> = { province: 'P', district: 'D1', grassroots: 'D1-2', cell: 'D1-1-1' };
  const expectCountersExact = async () => {
    const c = await countersAndRecount(t);
    expect(c.stored).toEqual(c.recounted);
    const top = await topCountersAndRecount(t);
    expect(top.stored).toEqual(top.recounted);
  };
  const patchStep = (no: number, body: unknown) => t.request('PATCH', `/api/plans/${planId}/steps/${no}`, { token: t.adminToken, body });

  beforeAll(async () => {
    t = await startTestApp();
    ({ ids, planId } = await plannedTree(t, SMALL_TREE));
  });
  afterAll(async () => {
    t?.setClock(null);
    await t?.close();
  });

  describe('the template: which tier gets which step', () => {
    const table = TIERS.flatMap((tier) => ALL.map((no) => [tier, no, STEPS_OF[tier].includes(no)] as const));
    it.each(table)('tier %s × step %s applies: %s', async (tier, no, applies) => {
      const plan = (await t.request('GET', `/api/plans/${planId}`, { token: t.adminToken })).body;
      expect(plan.steps.find((s: any) => s.no === no).appliesTo.includes(tier)).toBe(applies);
    });

    it("step 11 is 'công tác phục vụ đại hội' with the delegate-allocation milestone, 30 working days before the congress, not for cells", async () => {
      const plan = (await t.request('GET', `/api/plans/${planId}`, { token: t.adminToken })).body;
      const step11 = plan.steps.find((s: any) => s.no === 11);
      expect(step11.title).toContain('công tác phục vụ đại hội');
      expect(step11.title).not.toContain('hậu cần');
      expect(step11.milestone.titleVi).toContain('Phân bổ, triệu tập đại biểu');
      expect(step11.milestone.deadlines).toEqual(
        Object.fromEntries(
          ['central', 'province', 'district', 'grassroots'].map((tr) => [tr, { daysFromCongress: -30, workingDays: true }]),
        ),
      );
      expect(plan.steps.filter((s: any) => s.milestone !== null).map((s: any) => s.no)).toEqual([11]);
    });
  });

  describe('activation gives each unit the steps of its tier', () => {
    it.each(Object.entries(unitOfTier))('a %s unit (%s) has exactly the steps that apply to its tier', async (tier, code) => {
      expect(await stepsOfUnit(t, ids[code])).toEqual(STEPS_OF[tier as keyof typeof STEPS_OF]);
    });

    it('the counters count only the steps units have: no cell is counted in step 2 or 6', async () => {
      const { rows } = await t.db.query(`SELECT step_no, sum(n)::int AS n FROM step_counts WHERE tier = 'cell' GROUP BY 1 ORDER BY 1`);
      expect(rows.map((r) => r.step_no)).toEqual(STEPS_OF.cell);
      await expectCountersExact();
    });
  });

  describe('a unit created later under the plan gets the steps of its tier', () => {
    it.each([
      ['cell', 'D1-1', 'NEW-K'],
      ['grassroots', 'D2', 'NEW-G'],
    ] as const)('a new %s unit', async (tier, parent, code) => {
      const res = await t.request('POST', '/api/units', {
        token: t.adminToken,
        body: { code, name: `Đơn vị ${code}`, tier, parentId: ids[parent] },
      });
      expect(res.status).toBe(201);
      ids[code] = res.body.id;
      expect(await stepsOfUnit(t, res.body.id)).toEqual(STEPS_OF[tier]);
      await expectCountersExact();
    });
  });

  describe('reports count the units a step applies to', () => {
    it('progress by tier: cells are counted in the 13 steps they have and not in steps 2 and 6; the report equals the recount', async () => {
      const { actual, expected } = await progressAndRecount(t, t.rootUnitId, 'tier');
      expect(actual.rows).toEqual(expected.rows);
      const cells = actual.rows.find((r: any) => r.key === 'cell');
      const inStep = (no: number) => {
        const s = cells.steps[no - 1];
        return s.notStarted + s.inProgress + s.awaitingApproval + s.returned + s.completed + s.skipped + s.closed;
      };
      expect(cells.units).toBe(3);
      expect(ALL.map((no) => [no, inStep(no)])).toEqual(ALL.map((no) => [no, STEPS_OF.cell.includes(no) ? 3 : 0]));
    });

    it('a cell that finished its 13 steps has completed all its steps', async () => {
      const cell = ids['NEW-K'];
      await setStatus(t, cell, STEPS_OF.cell, 'completed');
      const { actual, expected } = await progressAndRecount(t, ids['D1-1'], 'child');
      expect(actual.rows).toEqual(expected.rows);
      expect(actual.rows.find((r: any) => r.unitId === cell)).toMatchObject({ units: 1, completedAllSteps: 1 });
      await setStatus(t, cell, STEPS_OF.cell, 'not_started');
    });

    it('the overdue list never lists a step a unit does not have', async () => {
      t.setClock('2026-01-10');
      const res = await t.request('GET', `/api/reports/overdue?rootId=${t.rootUnitId}&pageSize=200`, { token: t.adminToken });
      expect(res.status).toBe(200);
      const cellItems = res.body.items.filter((i: any) => i.tier === 'cell');
      expect(cellItems.length).toBeGreaterThan(0);
      expect(cellItems.filter((i: any) => i.stepNo === 2 || i.stepNo === 6)).toEqual([]);
      t.setClock(null);
    });
  });

  describe('due dates follow the steps a unit has', () => {
    it.each([
      // [tier, unit, congress date, step 11 due, milestone due]: 30 working days before 17/6/2025 is 6/5/2025 (hand-counted).
      ['grassroots', 'D1-2', '2025-06-17', '2025-06-16', '2025-05-06'],
      ['cell', 'D1-1-1', '2025-03-18', '2025-03-17', null],
    ] as const)('a %s unit (%s), congress %s: step 11 due %s, milestone due %s', async (_tier, code, congress, step11, milestone) => {
      expect((await setCongressDate(t, ids[code], congress)).status).toBe(200);
      const due = await dueDates(t, ids[code]);
      expect(due[11]).toBe(step11);
      expect(due[12]).toBe(congress);
      const { rows } = await t.db.query(
        `SELECT to_char(milestone_due, 'YYYY-MM-DD') AS m FROM unit_steps WHERE unit_id = $1 AND step_no = 11`,
        [ids[code]],
      );
      expect(rows[0].m).toBe(milestone);
      const wf = (await t.request('GET', `/api/units/${ids[code]}/workflow`, { token: t.adminToken })).body;
      const s11 = wf.steps.find((s: any) => s.no === 11);
      if (milestone === null) expect(s11.milestone).toBeNull();
      else expect(s11.milestone).toMatchObject({ dueDate: milestone, done: false });
    });

    it('a cell has no due date for steps 2 and 6: it has no such steps', async () => {
      const due = await dueDates(t, ids['D1-1-1']);
      expect(Object.keys(due).map(Number)).toEqual(STEPS_OF.cell);
    });
  });

  describe('the prerequisite rule: a dependency on a step the unit does not have counts as met', () => {
    // Step 7 depends on step 6 only.
    it.each([
      ['cell', 'D1-1-2', 200],
      ['grassroots', 'D2-1', 409],
    ] as const)('a %s unit (%s) with step 6 open or absent starts step 7 → %s', async (_tier, code, status) => {
      const editor = await t.loginAs('editor', ids[code]);
      const res = await act(t, editor, ids[code], 7, 'start');
      if (status === 200) {
        expect(res.status).toBe(200);
        const wf = (await t.request('GET', `/api/units/${ids[code]}/workflow`, { token: editor })).body;
        expect(wf.steps.find((s: any) => s.no === 7).dependsOn).toEqual([]);
      } else {
        expectError(res, 409, 'PREREQUISITES_PENDING');
        expect(res.body.details.pending).toEqual([6]);
      }
      await expectCountersExact();
    });
  });

  describe('editing appliesTo while the plan runs', () => {
    it('refuses an empty, unknown or repeated tier list (400) and changes nothing', async () => {
      for (const appliesTo of [[], ['commune'], ['cell', 'cell'], 'cell']) {
        expectError(await patchStep(6, { appliesTo }), 400, 'VALIDATION_FAILED');
      }
      const plan = (await t.request('GET', `/api/plans/${planId}`, { token: t.adminToken })).body;
      expect(plan.steps.find((s: any) => s.no === 6).appliesTo).toEqual(['central', 'province', 'district', 'grassroots']);
    });

    it('adding a tier gives its units the step, with its due date; the counters stay exact', async () => {
      const res = await patchStep(6, { appliesTo: [...TIERS] });
      expect(res.status).toBe(200);
      expect(res.body.steps.find((s: any) => s.no === 6).appliesTo).toEqual([...TIERS]);
      for (const code of ['D1-1-1', 'D1-1-2', 'NEW-K']) expect((await stepsOfUnit(t, ids[code])).includes(6)).toBe(true);
      // D1-1-1's congress is on 18/3/2025: step 6 is due 85 calendar days before.
      expect((await dueDates(t, ids['D1-1-1']))[6]).toBe('2024-12-23');
      await expectCountersExact();
    });

    it('removing a tier removes the step where it is not started; the counters stay exact', async () => {
      const res = await patchStep(6, { appliesTo: ['central', 'province', 'district', 'grassroots'] });
      expect(res.status).toBe(200);
      for (const code of ['D1-1-1', 'D1-1-2', 'NEW-K']) expect(await stepsOfUnit(t, ids[code])).toEqual(STEPS_OF.cell);
      await expectCountersExact();
    });

    it('removing a tier a unit has already worked on is refused (409) and changes nothing', async () => {
      expect((await patchStep(6, { appliesTo: [...TIERS] })).status).toBe(200);
      await setStatus(t, ids['D1-1-1'], 6, 'in_progress');
      const res = await patchStep(6, { appliesTo: ['central', 'province', 'district', 'grassroots'] });
      expectError(res, 409, 'CONFLICT');
      expect(res.body.details.units).toEqual([{ unitId: ids['D1-1-1'], status: 'in_progress' }]);
      const plan = (await t.request('GET', `/api/plans/${planId}`, { token: t.adminToken })).body;
      expect(plan.steps.find((s: any) => s.no === 6).appliesTo).toEqual([...TIERS]);
      for (const code of ['D1-1-2', 'NEW-K']) expect((await stepsOfUnit(t, ids[code])).includes(6)).toBe(true);
      // Back to the template's rule once the cell's step is not started again.
      await setStatus(t, ids['D1-1-1'], 6, 'not_started');
      expect((await patchStep(6, { appliesTo: ['central', 'province', 'district', 'grassroots'] })).status).toBe(200);
      await expectCountersExact();
    });
  });

  describe("a unit's tier change makes its steps follow appliesTo", () => {
    it('a cell that becomes a grassroots committee gets steps 2 and 6; back to a cell it loses them', async () => {
      const up = await importJson(t, [{ code: 'NEW-K', name: 'Đơn vị NEW-K', tier: 'grassroots', parentCode: 'D1' }]);
      expect(up.status).toBe(200);
      expect(await stepsOfUnit(t, ids['NEW-K'])).toEqual(STEPS_OF.grassroots);
      expect((await dueDates(t, ids['NEW-K']))[1]).toBe('2024-12-02'); // 30/11/2024, a Saturday: moved to Monday
      await expectCountersExact();
      const down = await importJson(t, [{ code: 'NEW-K', name: 'Đơn vị NEW-K', tier: 'cell', parentCode: 'D1-1' }]);
      expect(down.status).toBe(200);
      expect(await stepsOfUnit(t, ids['NEW-K'])).toEqual(STEPS_OF.cell);
      await expectCountersExact();
    });

    it('a tier change that would drop a step the unit has worked on is refused, and nothing changes', async () => {
      expect((await importJson(t, [{ code: 'NEW-K', name: 'Đơn vị NEW-K', tier: 'grassroots', parentCode: 'D1' }])).status).toBe(200);
      await setStatus(t, ids['NEW-K'], 2, 'completed');
      const res = await importJson(t, [{ code: 'NEW-K', name: 'Đơn vị NEW-K', tier: 'cell', parentCode: 'D1-1' }]);
      expect(res.status).toBe(400);
      expect(rowErrors(res).map((e: any) => e.field)).toEqual(['tier']);
      expect(await stepsOfUnit(t, ids['NEW-K'])).toEqual(STEPS_OF.grassroots);
      const { rows } = await t.db.query(`SELECT tier FROM units WHERE id = $1`, [ids['NEW-K']]);
      expect(rows[0].tier).toBe('grassroots');
      await expectCountersExact();
    });
  });

  describe("step 11's milestone: marked by the unit, overdue while not marked", () => {
    const mark = (token: string, code: string, done: boolean, no = 11) =>
      t.request('PUT', `/api/units/${ids[code]}/steps/${no}/milestone`, { token, body: { done } });
    const overdueMilestones = async () =>
      (await t.request('GET', `/api/reports/overdue?rootId=${t.rootUnitId}`, { token: t.adminToken })).body.milestonesOverdue;

    // D1-2's congress is on 17/6/2025: the milestone is due 6/5/2025.
    it.each([
      ['2025-05-06', false],
      ['2025-05-07', true],
    ] as const)('on %s the unmarked milestone is overdue: %s (view and overdue report)', async (day, overdue) => {
      t.setClock(day);
      const wf = (await t.request('GET', `/api/units/${ids['D1-2']}/workflow`, { token: t.adminToken })).body;
      expect(wf.steps.find((s: any) => s.no === 11).milestone).toMatchObject({ dueDate: '2025-05-06', done: false, overdue });
      const listed = (await overdueMilestones()).filter((m: any) => m.unitId === ids['D1-2']);
      expect(listed).toEqual(
        overdue
          ? [expect.objectContaining({ stepNo: 11, dueDate: '2025-05-06', daysOverdue: 1, title: expect.stringContaining('đại biểu') })]
          : [],
      );
    });

    const reminderItems = async (code: string, asOf: string) => {
      const res = await t.request('POST', '/api/reminders/sweep', { token: t.adminToken, body: { asOf } });
      expect(res.status).toBe(200);
      const { rows } = await t.db.query(`SELECT payload FROM notifications WHERE key = $1`, [`reminder:${ids[code]}:${asOf}`]);
      return (rows[0]?.payload.steps ?? []) as { no: number; title: string; dueDate: string }[];
    };

    it('the unit is reminded of its unmarked milestone on its due day, with the milestone as the title', async () => {
      const items = await reminderItems('D1-2', '2025-05-06');
      expect(items).toContainEqual(
        expect.objectContaining({ no: 11, dueDate: '2025-05-06', title: expect.stringContaining('Phân bổ, triệu tập đại biểu') }),
      );
    });

    it('the unit marks it done: no longer overdue; unmarking makes it overdue again', async () => {
      t.setClock('2025-05-07');
      const editor = await t.loginAs('editor', ids['D1-2']);
      const res = await mark(editor, 'D1-2', true);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ dueDate: '2025-05-06', done: true, overdue: false });
      expect(typeof res.body.doneAt).toBe('string');
      expect((await overdueMilestones()).filter((m: any) => m.unitId === ids['D1-2'])).toEqual([]);
      const again = await mark(editor, 'D1-2', false);
      expect(again.body).toMatchObject({ done: false, doneAt: null, overdue: true });
      expect((await mark(editor, 'D1-2', true)).status).toBe(200);
      // Marked: no longer reminded (overdue day 1 is a reminder day).
      expect((await reminderItems('D1-2', '2025-05-07')).filter((i) => i.title.includes('đại biểu'))).toEqual([]);
      await expectCountersExact();
    });

    it('a finished step has no overdue milestone', async () => {
      t.setClock('2025-05-07');
      await setStatus(t, ids['D2-1'], 11, 'not_started');
      expect((await setCongressDate(t, ids['D2-1'], '2025-06-17')).status).toBe(200);
      expect((await overdueMilestones()).some((m: any) => m.unitId === ids['D2-1'])).toBe(true);
      await setStatus(t, ids['D2-1'], 11, 'skipped');
      expect((await overdueMilestones()).some((m: any) => m.unitId === ids['D2-1'])).toBe(false);
    });

    it('a step without a milestone for the unit (a cell, another step) is 404; a viewer is 403', async () => {
      expectError(await mark(t.adminToken, 'D1-1-1', true), 404, 'NOT_FOUND');
      expectError(await mark(t.adminToken, 'D1-2', true, 10), 404, 'NOT_FOUND');
      expectError(await mark(await t.loginAs('viewer', ids['D1-2']), 'D1-2', true), 403, 'FORBIDDEN_SCOPE');
      expectError(
        await t.request('PUT', `/api/units/${ids['D1-2']}/steps/11/milestone`, { token: t.adminToken, body: {} }),
        400,
        'VALIDATION_FAILED',
      );
    });
  });
});
