import { startTestApp, TestApp } from '../setup/test-app';
import { generateTree } from '../factories/tree';
import { act, communes, plannedTree } from '../factories/workflow';
import { allPages, countersAndRecount, progressAndRecount, recountOverdue, seeded } from '../factories/reports';
import { provinceActors, randomTransitions, scheduleCongresses } from '../factories/reports-drive';

/**
 * Overdue counts from the day after the due date, in Vietnam time, without any transition: the
 * counters roll their overdue day on read (step_counts_roll_overdue). Then the overdue list: oldest
 * due date first, paginated, its total and days overdue against a recount.
 */
describe('overdue: the day boundary', () => {
  let t: TestApp;
  let ids: Record<string, number>;
  let planId: number;
  const DUE = '2025-05-14'; // a Wednesday: a date rule on a day off would move to the next working day

  beforeAll(async () => {
    t = await startTestApp();
    t.setClock(DUE);
    ({ ids, planId } = await plannedTree(t, communes(4)));
    ids.TW = t.rootUnitId;
    // Step 1 of the 4 communes is due on 14/5/2025; no congress dates, so their other steps have no due date.
    const res = await t.request('PATCH', `/api/plans/${planId}/steps/1`, {
      token: t.adminToken,
      body: { deadlines: { grassroots: { date: DUE } } },
    });
    expect(res.status).toBe(200);
  });
  afterAll(async () => t?.close());

  /** Overdue step 1 of the grassroots tier by the tier report of `root`, checking every number of both groupings on the way. */
  const communesLate = async (root = 'TW'): Promise<number> => {
    for (const groupBy of ['child', 'tier'] as const) {
      const { actual, expected } = await progressAndRecount(t, ids[root], groupBy);
      expect(actual).toEqual(expected);
    }
    const { actual } = await progressAndRecount(t, ids[root], 'tier');
    return actual.rows.find((r: any) => r.key === 'grassroots').steps[0].overdue;
  };
  const listed = async () => {
    const res = await t.request('GET', `/api/reports/overdue?rootId=${ids.D}`, { token: t.adminToken });
    expect(res.status).toBe(200);
    return res.body.items.filter((i: any) => i.stepNo === 1 && i.code.startsWith('C'));
  };
  const expectCountersExact = async () => {
    const { stored, recounted } = await countersAndRecount(t);
    expect(stored).toEqual(recounted);
  };

  it('a step due today is not overdue, up to 23:59:59 in Vietnam', async () => {
    for (const at of [DUE, '2025-05-14T16:59:59Z']) {
      t.setClock(at);
      for (const root of ['TW', 'P', 'D', 'C1']) expect(await communesLate(root)).toBe(0);
      expect(await listed()).toEqual([]);
    }
    await expectCountersExact();
  });

  it('from 00:00 the next day in Vietnam (still 14/5 in UTC) it is overdue, with no transition', async () => {
    const { rows } = await t.db.query(`SELECT count(*)::int AS n FROM step_events`);
    t.setClock('2025-05-14T17:00:00Z');
    for (const root of ['TW', 'P', 'D']) expect(await communesLate(root)).toBe(4);
    expect(await communesLate('C1')).toBe(1);
    const items = await listed();
    expect(items.map((i: any) => [i.code, i.dueDate, i.daysOverdue, i.status])).toEqual(
      ['C1', 'C2', 'C3', 'C4'].map((c) => [c, DUE, 1, 'not_started']),
    );
    await expectCountersExact();
    expect((await t.db.query(`SELECT count(*)::int AS n FROM step_events`)).rows[0].n).toBe(rows[0].n);
  });

  it('transitions on the new day: started stays overdue, completed is not', async () => {
    const editor = await t.loginAs('editor', ids.D);
    expect((await act(t, editor, ids.C1, 1, 'start')).status).toBe(200);
    expect(await communesLate()).toBe(4);
    expect((await act(t, editor, ids.C1, 1, 'complete')).status).toBe(200);
    expect(await communesLate()).toBe(3);
    await expectCountersExact();
  });

  it('moving the clock back un-counts it; forward again counts it again', async () => {
    t.setClock('2025-05-13');
    expect(await communesLate()).toBe(0);
    await expectCountersExact();
    t.setClock('2025-06-30');
    expect(await communesLate()).toBe(3);
    expect((await listed()).map((i: any) => i.daysOverdue)).toEqual([47, 47, 47]);
    await expectCountersExact();
  });

  it('a due date moved onto today by a rule change is no longer overdue', async () => {
    t.setClock('2025-05-15');
    expect(await communesLate()).toBe(3);
    const res = await t.request('PATCH', `/api/plans/${planId}/steps/1`, {
      token: t.adminToken,
      body: { deadlines: { grassroots: { date: '2025-05-15' } } },
    });
    expect(res.status).toBe(200);
    expect(await communesLate()).toBe(0);
    await expectCountersExact();
    t.setClock('2025-05-16');
    expect(await communesLate()).toBe(3);
    await expectCountersExact();
  });
});

describe('overdue list: order, pages, days overdue, total', () => {
  let t: TestApp;
  let ids: Record<string, number>;
  const TODAY = '2025-06-15';

  beforeAll(async () => {
    t = await startTestApp();
    t.setClock(TODAY);
    const rows = generateTree({ provinces: 2, districts: 3, communes: 4, cells: 3 }, 'T');
    ({ ids } = await plannedTree(t, rows));
    ids.TW = t.rootUnitId;
    const rng = seeded(99);
    const all = rows.map((r) => ids[r.code]);
    await scheduleCongresses(
      t,
      all.filter(() => rng() < 0.7),
      rng,
    );
    await randomTransitions(t, provinceActors(t), all, 150, rng);
  }, 300_000);
  afterAll(async () => t?.close());

  it.each([
    ['TW', 13],
    ['T1', 50],
    ['T2-3', 7],
    ['T1-1-1', 100],
  ])('root %s, pages of %i: every item and the total equal the recount', async (code, pageSize) => {
    const expected = await recountOverdue(t, ids[code], TODAY);
    expect(expected.length).toBeGreaterThan(code === 'T1-1-1' ? 3 : pageSize);
    const { total, items } = await allPages(t, `/api/reports/overdue?rootId=${ids[code]}`, t.adminToken, pageSize);
    expect(total).toBe(expected.length);
    expect(
      items.map(({ unitId, code: c, name, stepNo, dueDate, daysOverdue, status }) => ({
        unitId,
        code: c,
        name,
        stepNo,
        dueDate,
        daysOverdue,
        status,
      })),
    ).toEqual(expected);
    for (let i = 1; i < items.length; i++) expect(items[i - 1].dueDate <= items[i].dueDate).toBe(true);
    for (const item of items) {
      expect(item.daysOverdue).toBeGreaterThanOrEqual(1);
      expect(['not_started', 'in_progress', 'awaiting_approval', 'returned']).toContain(item.status);
    }
  });

  it('a page past the end is empty and still carries the total; the default page size is 100', async () => {
    const expected = await recountOverdue(t, t.rootUnitId, TODAY);
    const past = await t.request('GET', `/api/reports/overdue?page=1000&pageSize=10`, { token: t.adminToken });
    expect(past.body).toMatchObject({ total: expected.length, items: [], approvalsOverdue: [] });
    const first = await t.request('GET', `/api/reports/overdue`, { token: t.adminToken });
    expect(first.body.total).toBe(expected.length);
    expect(first.body.items).toHaveLength(Math.min(100, expected.length));
    const second = await t.request('GET', `/api/reports/overdue?page=2&pageSize=5`, { token: t.adminToken });
    expect(second.body.items.map((i: any) => [i.unitId, i.stepNo])).toEqual(expected.slice(5, 10).map((i) => [i.unitId, i.stepNo]));
  });
});
