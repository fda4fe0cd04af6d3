import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsOptional } from 'class-validator';
import { IsCalendarDate, IsDbInt, Paged, TIERS, Tier } from '@app/core';

const toBoolean = ({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value);

export class ReportQuery {
  /** The subtree's root; the caller's own unit when absent. Digits only, as the scope guard reads it. */
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' && /^\d{1,9}$/.test(value) ? Number(value) : value))
  @IsDbInt({}, { message: 'rootId must be a unit id (digits only, at most 2147483647)' })
  rootId?: number;

  @IsOptional()
  @IsIn(['json', 'csv', 'xlsx'])
  format: 'json' | 'csv' | 'xlsx' = 'json';

  /** Count merged and dissolved units too (default: only the units that exist now). */
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean({ message: 'includeClosed must be true or false' })
  includeClosed?: boolean;
}

/** A report listed page by page: pages of at most 1000 rows, 100 by default. */
export class PagedReportQuery extends Paged(ReportQuery, { default: 100, max: 1000 }) {}

export class ProgressQuery extends ReportQuery {
  @IsOptional()
  @IsIn(['child', 'tier'])
  groupBy: 'child' | 'tier' = 'child';
}

export class ContentsQuery extends PagedReportQuery {
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean({ message: 'completedAll must be true or false' })
  completedAll?: boolean;

  @IsOptional()
  @IsIn(TIERS)
  tier?: Tier;

  @IsOptional()
  @IsCalendarDate()
  heldFrom?: string;

  @IsOptional()
  @IsCalendarDate()
  heldTo?: string;
}

export class StepCountsDto {
  no: number;
  notStarted: number;
  inProgress: number;
  awaitingApproval: number;
  returned: number;
  completed: number;
  skipped: number;
  /** Steps closed because their unit was merged or dissolved (non-zero only with includeClosed=true). */
  closed: number;
  overdue: number;
}

export class ProgressRowDto {
  /** The child unit's code, or the tier. */
  key: string;
  unitId: number | null;
  name: string;
  units: number;
  completedAllSteps: number;
  steps: StepCountsDto[];
}

export class ProgressReportDto {
  rootId: number;
  asOf: string;
  groupBy: 'child' | 'tier';
  rows: ProgressRowDto[];
}

export class ContentsItemDto {
  unitId: number;
  code: string;
  name: string;
  tier: Tier;
  heldOn: string;
  kind: string;
  contents: (string | null)[];
  applicableContents: number;
  completedAll: boolean;
  missing: number[];
}

export class ContentsReportDto {
  summary: {
    units: number;
    congressesHeld: number;
    completedAll: number;
    completedAllPct: number;
  };
  elections: {
    committeeSeats: number;
    womenPct: number | null;
    youngPct: number | null;
    ethnicMinorityPct: number | null;
    newlyElectedPct: number | null;
    lowestVotePct: number | null;
    delegatesAllocated: number;
    delegatesElected: number;
  };
  total: number;
  items: ContentsItemDto[];
}

export class OverdueItemDto {
  unitId: number;
  code: string;
  name: string;
  tier: Tier;
  stepNo: number;
  title: string;
  dueDate: string;
  daysOverdue: number;
  status: string;
}

export class OverdueReportDto {
  total: number;
  items: OverdueItemDto[];
}
