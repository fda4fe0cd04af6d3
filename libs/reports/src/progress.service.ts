import { Injectable } from '@nestjs/common';
import { Clock, OFF_UNIT_CLOCK, type StepStatus, TIERS } from '@app/core';
import type { UnitRow } from '@app/org';
import { ProgressReportDto, ProgressRowDto, StepCountsDto } from './dto/reports.dto';
import { TIER_VI } from './labels';
import { BUCKET_DEPTH, CountRow, ReportsRepository, UnitCountRow } from './reports.repository';

export { BUCKET_DEPTH };
const STEP_COUNT = 15;
const STATUS_FIELD: Record<string, keyof Omit<StepCountsDto, 'no' | 'overdue' | 'awaitingApprovalOverdue'>> = {
  not_started: 'notStarted',
  in_progress: 'inProgress',
  awaiting_approval: 'awaitingApproval',
  returned: 'returned',
  completed: 'completed',
  skipped: 'skipped',
  closed: 'closed',
};

/** Progress roll-ups of any subtree, by child unit or by tier: per step, units in each state and overdue. */
@Injectable()
export class ProgressService {
  constructor(
    private readonly reports: ReportsRepository,
    private readonly clock: Clock,
  ) {}

  /**
   * The counters' overdue figures as of `today` (the worker's midnight job, Vietnam time). Reads call
   * it too: a no-op when the day is current, and a catch-up when the worker has not run yet, so the
   * figures are exact the day after a deadline whatever the worker did. The catch-up is one pass
   * over the open steps due since the last roll (one day's deadlines, normally none), under the
   * exclusive counters lock; concurrent readers wait for it and then find the day current.
   */
  async rollOverdue(today = this.clock.today()): Promise<void> {
    await this.reports.rollOverdue(today);
  }

  /** `pilot`: pilot units only (true), the main wave only (false), every unit (null). */
  async progress(
    root: UnitRow,
    groupBy: 'child' | 'tier',
    includeClosed = false,
    pilot: boolean | null = null,
  ): Promise<ProgressReportDto> {
    const today = this.clock.today();
    // Counters answer when every bucket under the root lies whole inside one row of the answer; they
    // count active units only and do not tell pilots apart, so a report that includes closed units or
    // filters on pilots is counted directly.
    const fromCounters = !includeClosed && pilot === null && (groupBy === 'child' ? root.depth < BUCKET_DEPTH : root.depth <= BUCKET_DEPTH);
    let counts: CountRow[];
    let units: UnitCountRow[];
    if (fromCounters) {
      await this.rollOverdue(today);
      [counts, units] = groupBy === 'child' ? await this.reports.countersByChild(root) : await this.reports.countersByTier(root);
    } else {
      [counts, units] =
        groupBy === 'child'
          ? await this.reports.directByChild(root, today, includeClosed, pilot)
          : await this.reports.directByTier(root, today, includeClosed, pilot);
    }
    const heads: { key: string; unitId: number | null; name: string }[] =
      groupBy === 'child'
        ? (await this.reports.children(root.id, includeClosed)).map((c) => ({
            key: c.code,
            unitId: c.id,
            name: c.name,
          }))
        : TIERS.filter((t) => units.some((u) => u.key === t)).map((t) => ({ key: t, unitId: null, name: TIER_VI[t] }));
    const idOf = (h: { key: string; unitId: number | null }) => String(h.unitId ?? h.key);
    const rows = new Map<string, ProgressRowDto>(
      heads.map((h) => [
        idOf(h),
        { ...h, units: 0, completedAllSteps: 0, steps: Array.from({ length: STEP_COUNT }, (_, i) => emptyCounts(i + 1)) },
      ]),
    );
    for (const u of units) {
      const row = rows.get(String(u.key));
      if (row) {
        row.units += u.units;
        row.completedAllSteps += u.done;
      }
    }
    for (const c of counts) {
      const step = rows.get(String(c.key))?.steps[c.no - 1];
      if (!step) continue;
      step[STATUS_FIELD[c.status]] += c.n;
      // The unit's overdue: a submitted step past its own due date is the approver's (awaitingApprovalOverdue,
      // past the approval deadline), not the unit's; the counters keep overdue per status, so its row is left out.
      if (!OFF_UNIT_CLOCK.includes(c.status as StepStatus)) step.overdue += c.overdue;
    }
    for (const c of await this.reports.approvalOverdueCounts(root, groupBy, today, pilot)) {
      const step = rows.get(String(c.key))?.steps[c.no - 1];
      if (step) step.awaitingApprovalOverdue += c.n;
    }
    // Filtered on pilots, a group with none of the units asked for is left out rather than listed at zero.
    const listed = [...rows.values()].filter((r) => pilot === null || r.units > 0);
    return { rootId: root.id, asOf: today, groupBy, rows: listed };
  }
}

function emptyCounts(no: number): StepCountsDto {
  return {
    no,
    notStarted: 0,
    inProgress: 0,
    awaitingApproval: 0,
    returned: 0,
    completed: 0,
    skipped: 0,
    closed: 0,
    overdue: 0,
    awaitingApprovalOverdue: 0,
  };
}
