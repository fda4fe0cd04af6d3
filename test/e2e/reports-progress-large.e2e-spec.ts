import { startTestApp, TestApp } from '../setup/test-app';
import { buildScenario, Scenario } from '../factories/reports-drive';
import { countersAndRecount, progressAndRecount, tierTotals } from '../factories/reports';

/**
 * The same story on a larger tree (TW → 4 provinces → 24 districts → 240 communes → 2,400 cells,
 * ≈2,700 units and 40,000 steps) with another seed and more transitions: every number of the
 * progress report of roots at depths 0 to 3 equals the recount, and so do the counters tables.
 */
const SHAPE = { provinces: 4, districts: 6, communes: 10, cells: 10 };
const ROOTS = ['TW', 'T1', 'T2', 'T4', 'T1-2', 'T2-1', 'T4-6', 'T2-1-1', 'T1-1-99', 'T4-6-10'];
const CASES = ROOTS.flatMap((code) => (['child', 'tier'] as const).map((groupBy) => [code, groupBy] as const));

describe('progress report: every number against a recount (≈2,700 units)', () => {
  let t: TestApp;
  let s: Scenario;

  beforeAll(async () => {
    t = await startTestApp();
    t.setClock('2025-05-20');
    s = await buildScenario(t, SHAPE, 77, 800);
  }, 900_000);
  afterAll(async () => t?.close());

  it('the scenario made several hundred transitions of every kind', async () => {
    expect(Object.keys(s.transitions).sort()).toEqual(['approve', 'complete', 'reopen', 'return', 'skip', 'start', 'submit']);
    expect(Object.values(s.transitions).reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(750);
    // Every unit has the steps of its tier: 15, a cell 13 (no step 2 nor 6).
    const { rows } = await t.db.query(
      `SELECT count(*)::int AS units, (SELECT count(*)::int FROM unit_steps) AS steps,
              sum(CASE WHEN tier = 'cell' THEN 13 ELSE 15 END)::int AS "byTier" FROM units`,
    );
    expect(rows[0].units).toBe(1 + 4 + 24 + 240 + 2400 + 4);
    expect(rows[0].steps).toBe(rows[0].byTier);
  });

  describe.each(['2025-05-20', '2025-09-30', null])('as of %s (null: the real clock)', (day) => {
    beforeAll(() => t.setClock(day));

    it.each(CASES)('root %s, groupBy=%s: every number equals the recount', async (code, groupBy) => {
      const { actual, expected } = await progressAndRecount(t, s.ids[code], groupBy);
      expect(actual).toEqual(expected);
    });

    it('the counters tables equal a recount from unit_steps', async () => {
      const { stored, recounted } = await countersAndRecount(t);
      expect(stored).toEqual(recounted);
      const totals = await tierTotals(t);
      expect(totals.stored).toEqual(totals.counted);
    });
  });
});
