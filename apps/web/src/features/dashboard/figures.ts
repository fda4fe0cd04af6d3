import type { StepStatus } from '../../lib/vi';

/** The statuses a progress report counts, in the order charts stack them (done first). */
export const COUNTED: { field: CountField; status: Exclude<StepStatus, 'closed'>; color: string }[] = [
  { field: 'completed', status: 'completed', color: '#389e0d' },
  { field: 'skipped', status: 'skipped', color: '#95de64' },
  { field: 'awaitingApproval', status: 'awaiting_approval', color: '#1677ff' },
  { field: 'inProgress', status: 'in_progress', color: '#69b1ff' },
  { field: 'returned', status: 'returned', color: '#fa8c16' },
  { field: 'notStarted', status: 'not_started', color: '#bfbfbf' },
];

export type CountField = 'notStarted' | 'inProgress' | 'awaitingApproval' | 'returned' | 'completed' | 'skipped';

export interface Counts {
  no: number;
  notStarted: number;
  inProgress: number;
  awaitingApproval: number;
  returned: number;
  completed: number;
  skipped: number;
  overdue: number;
  /** Of awaitingApproval: waiting past the approver's deadline (absent in older answers: 0). */
  awaitingApprovalOverdue?: number;
}

export interface Row {
  key: string;
  unitId: number | null;
  name: string;
  units: number;
  completedAllSteps: number;
  steps: Counts[];
}

/** One child unit's figures: its steps by status over all its units, % of steps finished, overdue steps. */
export interface ChildFigures {
  key: string;
  unitId: number | null;
  name: string;
  units: number;
  completedAllSteps: number;
  byStatus: Record<CountField, number>;
  steps: number;
  finished: number;
  /** Finished steps (completed or not carried out) over all steps, 0..100 with one decimal; null without steps. */
  donePct: number | null;
  overdue: number;
}

const zero = (): Record<CountField, number> => ({
  notStarted: 0,
  inProgress: 0,
  awaitingApproval: 0,
  returned: 0,
  completed: 0,
  skipped: 0,
});

export const pct = (part: number, whole: number): number | null => (whole > 0 ? Math.round((part * 1000) / whole) / 10 : null);

export function childFigures(row: Row): ChildFigures {
  const byStatus = zero();
  let overdue = 0;
  for (const s of row.steps) {
    for (const { field } of COUNTED) byStatus[field] += s[field];
    overdue += s.overdue;
  }
  const steps = Object.values(byStatus).reduce((a, b) => a + b, 0);
  const finished = byStatus.completed + byStatus.skipped;
  return {
    key: row.key,
    unitId: row.unitId,
    name: row.name,
    units: row.units,
    completedAllSteps: row.completedAllSteps,
    byStatus,
    steps,
    finished,
    donePct: pct(finished, steps),
    overdue,
  };
}

export type SortOrder = 'worst' | 'code';

/**
 * Worst first: the lowest share of finished steps, then the most overdue steps, then the code;
 * units without steps last. 'code': the report's order (by code).
 */
export function sortChildren(children: ChildFigures[], order: SortOrder): ChildFigures[] {
  if (order === 'code') return [...children];
  return [...children].sort(
    (a, b) => (a.donePct ?? Infinity) - (b.donePct ?? Infinity) || b.overdue - a.overdue || a.key.localeCompare(b.key),
  );
}

/** The 15 steps × status matrix, summed over the children; and each step's overdue units. */
export function stepMatrix(rows: Row[]): Counts[] {
  const out: Counts[] = Array.from({ length: 15 }, (_, i) => ({ no: i + 1, ...zero(), overdue: 0 }));
  for (const r of rows)
    for (const s of r.steps) {
      const t = out[s.no - 1];
      if (!t) continue;
      for (const { field } of COUNTED) t[field] += s[field];
      t.overdue += s.overdue;
    }
  return out;
}

export interface Totals {
  units: number;
  completedAllSteps: number;
  completedAllStepsPct: number | null;
  overdueSteps: number;
  /** Submissions waiting for approval past the approver's deadline. */
  awaitingApprovalOverdue: number;
}

/** The subtree's totals over its children (the root itself is not a child row). */
export function totals(rows: Row[]): Totals {
  const units = rows.reduce((n, r) => n + r.units, 0);
  const completedAllSteps = rows.reduce((n, r) => n + r.completedAllSteps, 0);
  const overdueSteps = rows.reduce((n, r) => n + r.steps.reduce((m, s) => m + s.overdue, 0), 0);
  const awaitingApprovalOverdue = rows.reduce((n, r) => n + r.steps.reduce((m, s) => m + (s.awaitingApprovalOverdue ?? 0), 0), 0);
  return { units, completedAllSteps, completedAllStepsPct: pct(completedAllSteps, units), overdueSteps, awaitingApprovalOverdue };
}
