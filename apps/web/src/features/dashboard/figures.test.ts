import { describe, expect, it } from 'vitest';
import { childFigures, type Row, sortChildren, stepMatrix, totals } from './figures';

const step = (no: number, c: Partial<Record<string, number>>) => ({
  no,
  notStarted: 0,
  inProgress: 0,
  awaitingApproval: 0,
  returned: 0,
  completed: 0,
  skipped: 0,
  overdue: 0,
  ...c,
});

const rows: Row[] = [
  {
    key: 'A',
    unitId: 1,
    name: 'A',
    units: 2,
    completedAllSteps: 1,
    steps: [step(1, { completed: 2 }), step(2, { notStarted: 1, skipped: 1, overdue: 1 })],
  },
  {
    key: 'B',
    unitId: 2,
    name: 'B',
    units: 3,
    completedAllSteps: 0,
    steps: [step(1, { inProgress: 3, overdue: 3 }), step(2, { notStarted: 1, awaitingApproval: 2, awaitingApprovalOverdue: 1 })],
  },
  { key: 'C', unitId: 3, name: 'C', units: 0, completedAllSteps: 0, steps: [step(1, {}), step(2, {})] },
  { key: 'D', unitId: 4, name: 'D', units: 3, completedAllSteps: 0, steps: [step(1, { notStarted: 3 }), step(2, { notStarted: 3 })] },
];

describe('dashboard figures', () => {
  it('a child: steps by status, share finished (completed or not carried out), overdue', () => {
    const a = childFigures(rows[0]);
    expect(a.steps).toBe(4);
    expect(a.finished).toBe(3);
    expect(a.donePct).toBe(75);
    expect(a.overdue).toBe(1);
    expect(childFigures(rows[2]).donePct).toBeNull();
  });

  it('worst first: lowest share finished, then most overdue; units without steps last', () => {
    const sorted = sortChildren(rows.map(childFigures), 'worst').map((c) => c.key);
    expect(sorted).toEqual(['B', 'D', 'A', 'C']);
    expect(sortChildren(rows.map(childFigures), 'code').map((c) => c.key)).toEqual(['A', 'B', 'C', 'D']);
  });

  it('the step × status matrix and the totals add the children up', () => {
    const m = stepMatrix(rows);
    expect(m).toHaveLength(15);
    expect(m[0]).toMatchObject({ no: 1, completed: 2, inProgress: 3, notStarted: 3, overdue: 3 });
    expect(m[1]).toMatchObject({ no: 2, notStarted: 5, awaitingApproval: 2, skipped: 1, overdue: 1 });
    expect(totals(rows)).toEqual({
      units: 8,
      completedAllSteps: 1,
      completedAllStepsPct: 12.5,
      overdueSteps: 4,
      awaitingApprovalOverdue: 1,
    });
  });
});
