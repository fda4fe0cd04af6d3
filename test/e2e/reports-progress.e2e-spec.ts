import { startTestApp, TestApp } from '../setup/test-app';
import { buildScenario, Scenario } from '../factories/reports-drive';
import { countersAndRecount, progressAndRecount, tierTotals, vietnamToday } from '../factories/reports';

/**
 * GET /api/reports/progress on a national tree (TW → 3 provinces → 12 districts → 96 communes → 768
 * cells) after a seeded random sequence of transitions through the API, due-date changes (congress
 * dates, plan rules, holidays), two moves by import, a tier change and new units: every number equals
 * a recount in plain SQL, for roots at depths 0 to 3, by child and by tier, on several days (the
 * counters roll their overdue day forward and back on read).
 */
const SHAPE = { provinces: 3, districts: 4, communes: 8, cells: 8 };
const ROOTS = ['TW', 'T1', 'T2', 'T1-2', 'T2-1', 'T2-2', 'T2-1-1', 'T1-1-99', 'T3-2-4'];
const CASES = ROOTS.flatMap((code) => (['child', 'tier'] as const).map((groupBy) => [code, groupBy] as const));
const DAYS: (string | null)[] = ['2025-04-10', '2025-08-20', '2025-02-01', null];

describe('progress report: every number against a recount (≈900 units)', () => {
  let t: TestApp;
  let s: Scenario;

  beforeAll(async () => {
    t = await startTestApp();
    t.setClock('2025-04-10');
    s = await buildScenario(t, SHAPE, 2025, 500);
  }, 900_000);
  afterAll(async () => t?.close());

  it('the scenario made several hundred transitions of every kind, moved units, changed a tier, added units', async () => {
    expect(Object.keys(s.transitions).sort()).toEqual(['approve', 'complete', 'reopen', 'return', 'skip', 'start', 'submit']);
    expect(Object.values(s.transitions).reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(450);
    const { rows } = await t.db.query(
      `SELECT u.code, u.tier, u.parent_id AS "parentId", (SELECT count(*)::int FROM unit_steps us WHERE us.unit_id = u.id) AS steps
         FROM units u WHERE code IN ('T1-2', 'T3-1-1', 'T2-2-1-1', 'T1-1-99-3') ORDER BY code`,
    );
    expect(rows).toEqual([
      // A new cell gets 13 steps (no step 2 nor 6); the cell turned grassroots (T2-2-1-1) gained them.
      { code: 'T1-1-99-3', tier: 'cell', parentId: s.ids['T1-1-99'], steps: 13 },
      { code: 'T1-2', tier: 'district', parentId: s.ids.T2, steps: 15 },
      { code: 'T2-2-1-1', tier: 'grassroots', parentId: s.ids['T2-2'], steps: 15 },
      { code: 'T3-1-1', tier: 'grassroots', parentId: s.ids['T2-1'], steps: 15 },
    ]);
    const done = await t.db.query(
      `SELECT count(*)::int AS n FROM (SELECT unit_id FROM unit_steps GROUP BY 1 HAVING bool_and(status IN ('completed', 'skipped'))) x`,
    );
    expect(done.rows[0].n).toBeGreaterThanOrEqual(4);
  });

  describe.each(DAYS)('as of %s (null: the real clock)', (day) => {
    beforeAll(() => t.setClock(day));

    it.each(CASES)('root %s, groupBy=%s: every number equals the recount', async (code, groupBy) => {
      const { actual, expected } = await progressAndRecount(t, s.ids[code], groupBy);
      expect(actual.asOf).toBe(day ?? vietnamToday());
      expect(actual).toEqual(expected);
      expect(actual.rows.length).toBeGreaterThan(0);
    });

    it('the counters tables equal a recount from unit_steps, overdue as of that day', async () => {
      const { rows } = await t.db.query(`SELECT to_char(overdue_as_of, 'YYYY-MM-DD') AS d FROM report_state`);
      expect(rows[0].d).toBe(day ?? vietnamToday());
      const { stored, recounted } = await countersAndRecount(t);
      expect(stored).toEqual(recounted);
      const totals = await tierTotals(t);
      expect(totals.stored).toEqual(totals.counted);
    });
  });
});
