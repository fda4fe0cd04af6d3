import { startTestApp, TestApp } from '../setup/test-app';
import { act, communes, plannedTree, setStatus } from '../factories/workflow';
import { countersAndRecount, progressAndRecount } from '../factories/reports';

/**
 * "Units that finished every step" depends on a unit's other steps: two transitions of the same
 * unit committing side by side (its last two open steps completed, or two finished steps reopened
 * at once) must still count the unit once in unit_counts.
 */
const N = 40;

describe('progress counters under concurrent transitions of one unit', () => {
  let t: TestApp;
  let ids: Record<string, number>;
  let editor: string;
  let supervisor: string;
  const units = () => Array.from({ length: N }, (_, i) => ids[`C${i + 1}`]);

  beforeAll(async () => {
    t = await startTestApp();
    t.setClock('2025-05-01');
    ({ ids } = await plannedTree(t, communes(N)));
    editor = await t.loginAs('editor', ids.D);
    supervisor = await t.loginAs('supervisor', ids.D);
    for (const unitId of units()) {
      await setStatus(t, unitId, [1, 2, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15], 'completed');
      await setStatus(t, unitId, [3, 4], 'in_progress');
    }
  });
  afterAll(async () => t?.close());

  const expectExact = async (done: number) => {
    const { stored, recounted } = await countersAndRecount(t);
    expect(stored).toEqual(recounted);
    for (const groupBy of ['child', 'tier'] as const) {
      const { actual, expected } = await progressAndRecount(t, t.rootUnitId, groupBy);
      expect(actual).toEqual(expected);
    }
    const { actual } = await progressAndRecount(t, ids.P, 'tier');
    expect(actual.rows.find((r: any) => r.key === 'grassroots')).toMatchObject({ units: N, completedAllSteps: done });
  };

  it('the last two open steps completed at the same time: every unit counts as finished once', async () => {
    await expectExact(0);
    const results = await Promise.all(units().flatMap((unitId) => [3, 4].map((no) => act(t, editor, unitId, no, 'complete'))));
    expect(results.map((r) => r.status)).toEqual(results.map(() => 200));
    await expectExact(N);
  });

  it('two finished steps reopened at the same time: every unit stops counting once', async () => {
    const results = await Promise.all(
      units().flatMap((unitId) => [3, 4].map((no) => act(t, supervisor, unitId, no, 'reopen', { note: 'Làm lại' }))),
    );
    expect(results.map((r) => r.status)).toEqual(results.map(() => 200));
    await expectExact(0);
  });
});
