import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Clock, TIERS } from '@app/core';
import type { UnitRow } from '@app/org';
import { ProgressReportDto, ProgressRowDto, StepCountsDto } from './dto/reports.dto';
import { TIER_VI } from './labels';
import { PROGRESS_SQL as SQL } from './reports.sql';

/** Counter buckets are the depth-2 subtrees: roots above that depth are read from the counters. */
export const BUCKET_DEPTH = 2;
const STEP_COUNT = 15;
const STATUS_FIELD: Record<string, keyof Omit<StepCountsDto, 'no' | 'overdue'>> = {
  not_started: 'notStarted',
  in_progress: 'inProgress',
  awaiting_approval: 'awaitingApproval',
  returned: 'returned',
  completed: 'completed',
  skipped: 'skipped',
};

interface CountRow {
  key: string | number;
  no: number;
  status: string;
  n: number;
  overdue: number;
}
interface UnitCountRow {
  key: string | number;
  units: number;
  done: number;
}

/** Progress roll-ups of any subtree, by child unit or by tier: per step, units in each state and overdue. */
@Injectable()
export class ProgressService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly clock: Clock,
  ) {}

  async progress(root: UnitRow, groupBy: 'child' | 'tier'): Promise<ProgressReportDto> {
    const today = this.clock.today();
    const pattern = `${root.path}%`;
    // Counters answer when every bucket under the root lies whole inside one row of the answer.
    const fromCounters = groupBy === 'child' ? root.depth < BUCKET_DEPTH : root.depth <= BUCKET_DEPTH;
    let counts: CountRow[];
    let units: UnitCountRow[];
    if (fromCounters) {
      await this.db.query(SQL.rollOverdue, [today]);
      [counts, units] =
        groupBy === 'child'
          ? await Promise.all([
              root.depth === 0
                ? this.db.query(SQL.countersTopByChild, [root.id])
                : this.db.query(SQL.countersByChild, [pattern, root.id, root.depth]),
              this.db.query(SQL.unitCountersByChild, [pattern, root.id, root.depth]),
            ])
          : await Promise.all([this.db.query(SQL.countersByTier, [pattern]), this.db.query(SQL.unitCountersByTier, [pattern])]);
    } else {
      [counts, units] =
        groupBy === 'child'
          ? await Promise.all([
              this.db.query(SQL.directByChild, [pattern, root.id, root.depth, today]),
              this.db.query(SQL.directUnitsByChild, [pattern, root.id, root.depth]),
            ])
          : await Promise.all([this.db.query(SQL.directByTier, [pattern, today]), this.db.query(SQL.directUnitsByTier, [pattern])]);
    }
    const heads: { key: string; unitId: number | null; name: string }[] =
      groupBy === 'child'
        ? (await this.db.query(SQL.children, [root.id])).map((c: { id: number; code: string; name: string }) => ({
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
      step.overdue += c.overdue;
    }
    return { rootId: root.id, asOf: today, groupBy, rows: [...rows.values()] };
  }
}

function emptyCounts(no: number): StepCountsDto {
  return { no, notStarted: 0, inProgress: 0, awaitingApproval: 0, returned: 0, completed: 0, skipped: 0, overdue: 0 };
}
