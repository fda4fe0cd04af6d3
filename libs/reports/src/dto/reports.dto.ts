import { ApiProperty } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import { CONGRESS_TYPES, type CongressType, IsCalendarDate, IsDbInt, Paged, TIERS, Tier } from '@app/core';

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

  /** CSV separator: comma (default) or semicolon (Excel in a Vietnamese locale); ';' and ',' are read too. */
  @IsOptional()
  @IsIn(['comma', 'semicolon', ',', ';'])
  sep: 'comma' | 'semicolon' | ',' | ';' = 'comma';
  /** Count merged and dissolved units too (default: only the units that exist now). */
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean({ message: 'includeClosed must be true or false' })
  includeClosed?: boolean;

  /** Pilot congresses only (true: đại hội điểm) or the main wave only (false); both when absent. Exports apply it too. */
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean({ message: 'pilot must be true or false' })
  pilot?: boolean;
}

/** A report listed page by page: pages of at most 1000 rows, 100 by default. */
export class PagedReportQuery extends Paged(ReportQuery, { default: 100, max: 1000 }) {}

/** The columns the contents report's pages sort by (server-side, over all pages); exports keep the tree order. */
export const CONTENTS_SORTS = ['code', 'name', 'parentName', 'heldOn', 'completedAll'] as const;
export type ContentsSort = (typeof CONTENTS_SORTS)[number];
/** The columns the overdue list's pages sort by; exports keep the due-date order. */
export const OVERDUE_SORTS = ['code', 'name', 'parentName', 'stepNo', 'dueDate', 'daysOverdue'] as const;
export type OverdueSort = (typeof OVERDUE_SORTS)[number];
export const SORT_ORDERS = ['asc', 'desc'] as const;
export type SortOrder = (typeof SORT_ORDERS)[number];

export class OverdueQuery extends PagedReportQuery {
  /** Only this step's overdue units (1..15); all steps when absent. Pages, total and exports alike. */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(15)
  stepNo?: number;

  /** Sort the pages by this column (default: due date, oldest first). */
  @IsOptional()
  @IsIn(OVERDUE_SORTS, { message: `sort must be one of: ${OVERDUE_SORTS.join(', ')}` })
  sort?: OverdueSort;

  @IsOptional()
  @IsIn(SORT_ORDERS, { message: 'order must be asc or desc' })
  order?: SortOrder;
}

export class ProgressQuery extends ReportQuery {
  @IsOptional()
  @IsIn(['child', 'tier'])
  groupBy: 'child' | 'tier' = 'child';

  /** Exports: long (one row per group and step, the default) or wide (one row per group, one column per step). */
  @IsOptional()
  @IsIn(['long', 'wide'])
  layout: 'long' | 'wide' = 'long';
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

  /** Sort the pages by this column (default: the tree's order). */
  @IsOptional()
  @IsIn(CONTENTS_SORTS, { message: `sort must be one of: ${CONTENTS_SORTS.join(', ')}` })
  sort?: ContentsSort;

  @IsOptional()
  @IsIn(SORT_ORDERS, { message: 'order must be asc or desc' })
  order?: SortOrder;
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
  /** Of awaitingApproval: waiting past the approver's deadline (the approver's overdue, not the unit's). */
  awaitingApprovalOverdue: number;
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
  /** The name of the unit's parent (its superior committee's organisation); null for the tree's root. */
  parentName: string | null;
  heldOn: string;
  kind: string;
  /** The congress format the superior decided: which contents applied. */
  @ApiProperty({ enum: CONGRESS_TYPES })
  congressType: CongressType;
  pilot: boolean;
  /** The 4 contents' outcomes in order (null: not recorded). */
  @ApiProperty({ type: 'array', items: { type: 'string', enum: ['done', 'not_done', 'not_applicable'], nullable: true } })
  contents: (string | null)[];
  /** Why each content did not apply (index 0 = content 1; null where it applied). */
  @ApiProperty({ type: 'array', items: { type: 'string', nullable: true } })
  notApplicableReasons: (string | null)[];
  /** Why a content did not apply (or another note), by content number "1".."4". */
  notes: Record<string, string>;
  applicableContents: number;
  completedAll: boolean;
  missing: number[];
}

export class ContentsTypeSummaryDto {
  units: number;
  congressesHeld: number;
  completedAll: number;
  completedAllPct: number;
}

export class ContentsReportDto {
  summary: {
    units: number;
    congressesHeld: number;
    completedAll: number;
    completedAllPct: number;
    /** The same per congress format (full, three_contents, two_contents). */
    byType: Record<CongressType, ContentsTypeSummaryDto>;
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
  /** The name of the unit's parent; null for the tree's root. */
  parentName: string | null;
  stepNo: number;
  title: string;
  dueDate: string;
  daysOverdue: number;
  status: string;
}

/** A submission waiting for its superior past the approver's deadline: the approver's overdue item. */
export class ApprovalOverdueItemDto {
  unitId: number;
  code: string;
  name: string;
  tier: Tier;
  stepNo: number;
  title: string;
  approvalDue: string;
  daysOverdue: number;
  /** The unit above, whose supervisors decide. */
  @ApiProperty({ type: Number, nullable: true })
  approverUnitId: number | null;
  @ApiProperty({ type: String, nullable: true })
  approverUnitName: string | null;
}

/** A step's milestone past its due date and not marked done while the step is open (step 11: delegate allocation). */
export class MilestoneOverdueItemDto {
  unitId: number;
  code: string;
  name: string;
  tier: Tier;
  @ApiProperty({ type: String, nullable: true })
  parentName: string | null;
  stepNo: number;
  stepTitle: string;
  /** The milestone's title. */
  title: string;
  dueDate: string;
  daysOverdue: number;
}

export class OverdueReportDto {
  total: number;
  items: OverdueItemDto[];
  /** The approvers' overdue items, apart from the units' own delays (at most 1,000, oldest deadline first). */
  approvalsOverdue: ApprovalOverdueItemDto[];
  /** Milestones overdue inside open steps (at most 1,000, oldest due date first). */
  milestonesOverdue: MilestoneOverdueItemDto[];
}
