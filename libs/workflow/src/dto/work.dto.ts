import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Length,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { IsDbInt, TIERS, Tier } from '@app/core';
import { ACTIONS, STEP_STATUSES, type Action, type StepStatus } from '../transition-table';
import { WorkflowStepDto } from './workflow.dto';

/** A unit id in the query string: digits only, as the scope guard reads it. */
const toUnitId = ({ value }: { value: unknown }) => (typeof value === 'string' && /^\d{1,9}$/.test(value) ? Number(value) : value);

/** rootId (default: the caller's unit) and a page of at most 100 rows, 20 by default. */
export class WorkQuery {
  /** The subtree's root; the caller's own unit when absent. Outside the caller's subtree: 403. */
  @ApiPropertyOptional({ type: Number, description: "The subtree's root; the caller's own unit when absent" })
  @IsOptional()
  @Transform(toUnitId)
  @IsDbInt({}, { message: 'rootId must be a unit id (digits only, at most 2147483647)' })
  rootId?: number;

  @ApiPropertyOptional({ type: Number, minimum: 1, default: 1 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100000)
  page = 1;

  @ApiPropertyOptional({ type: Number, minimum: 1, maximum: 100, default: 20 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  pageSize = 20;
}

/** GET /api/approvals: WorkQuery, and `outside` for the root's own submissions. */
export class ApprovalsQuery extends WorkQuery {
  /**
   * true: the tree root's own submissions, which nobody in the tree approves: they await an outside
   * decision (Politburo / Secretariat) that an admin of the root records (approve or return with
   * documentRef). Only an admin of the root gets items; everyone else an empty page.
   */
  @ApiPropertyOptional({
    type: Boolean,
    default: false,
    description: "true: the root's own submissions awaiting an outside decision (admin of the root)",
  })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean({ message: 'outside must be true or false' })
  outside?: boolean;
}

export const WORK_REASONS = ['overdue', 'due_soon', 'returned', 'awaiting_approval'] as const;
export type WorkReason = (typeof WORK_REASONS)[number];
export const WORK_URGENCIES = ['overdue', 'returned', 'approval', 'due_soon'] as const;
export type WorkUrgency = (typeof WORK_URGENCIES)[number];

export class WorkStepDto {
  @ApiProperty({ minimum: 1, maximum: 15 })
  no: number;
  @ApiProperty()
  code: string;
  @ApiProperty()
  title: string;
  @ApiProperty({ enum: STEP_STATUSES, enumName: 'StepStatus' })
  status: StepStatus;
  @ApiProperty({ type: String, nullable: true, description: 'YYYY-MM-DD' })
  dueDate: string | null;
  /** Days since the due date when overdue (from the day after it), else 0. */
  @ApiProperty({ minimum: 0 })
  daysOverdue: number;
  /** Due date minus today in days (negative when past), null without a due date. */
  @ApiProperty({ type: Number, nullable: true })
  daysLeft: number | null;
  @ApiProperty({ enum: WORK_REASONS, enumName: 'WorkReason' })
  reason: WorkReason;
  @ApiProperty()
  version: number;
}

export class WorkItemDto {
  @ApiProperty()
  unitId: number;
  @ApiProperty()
  code: string;
  @ApiProperty()
  name: string;
  @ApiProperty({ enum: TIERS, enumName: 'Tier' })
  tier: Tier;
  @ApiProperty({ type: Number, nullable: true })
  parentId: number | null;
  @ApiProperty({ type: String, nullable: true })
  parentName: string | null;
  /** The most urgent reason among the unit's steps. */
  @ApiProperty({ enum: WORK_URGENCIES, enumName: 'WorkUrgency' })
  urgency: WorkUrgency;
  /** Most urgent first: overdue, returned, awaiting approval, due soon; then by due date. */
  @ApiProperty({ type: () => [WorkStepDto] })
  steps: WorkStepDto[];
}

/** Numbers of steps in the whole subtree per category (a returned step that is overdue counts in both). */
export class WorkCountsDto {
  @ApiProperty()
  overdue: number;
  @ApiProperty()
  dueSoon: number;
  @ApiProperty()
  returned: number;
  /** Steps the caller may approve (0 below supervisor). */
  @ApiProperty()
  awaitingApproval: number;
}

export class WorkPageDto {
  @ApiProperty({ type: () => [WorkItemDto] })
  items: WorkItemDto[];
  /** Number of units that need someone. */
  @ApiProperty()
  total: number;
  @ApiProperty({ type: () => WorkCountsDto })
  counts: WorkCountsDto;
}

export class ApprovalActorDto {
  @ApiProperty()
  id: number;
  @ApiProperty()
  name: string;
  @ApiProperty()
  email: string;
}

export class ApprovalItemDto {
  @ApiProperty()
  unitId: number;
  @ApiProperty()
  code: string;
  @ApiProperty()
  name: string;
  @ApiProperty({ enum: TIERS, enumName: 'Tier' })
  tier: Tier;
  @ApiProperty({ type: String, nullable: true })
  parentName: string | null;
  @ApiProperty({ minimum: 1, maximum: 15 })
  stepNo: number;
  @ApiProperty()
  stepCode: string;
  @ApiProperty()
  stepTitle: string;
  /** ISO 8601 instant of the submission. */
  @ApiProperty({ format: 'date-time' })
  submittedAt: string;
  @ApiProperty({ type: () => ApprovalActorDto, nullable: true })
  submittedBy: ApprovalActorDto | null;
  /** The submitter's note. */
  @ApiProperty({ type: String, nullable: true })
  note: string | null;
  @ApiProperty({ type: String, nullable: true })
  documentRef: string | null;
  /** The step's version, for approve / return. */
  @ApiProperty()
  version: number;
  @ApiProperty({ type: String, nullable: true, description: 'YYYY-MM-DD' })
  dueDate: string | null;
}

export class ApprovalPageDto {
  @ApiProperty({ type: () => [ApprovalItemDto] })
  items: ApprovalItemDto[];
  @ApiProperty()
  total: number;
}

export const BULK_MAX_ITEMS = 1000;

export class BulkItemDto {
  @ApiProperty()
  @IsDbInt()
  unitId: number;

  @ApiProperty({ minimum: 1, maximum: 15 })
  @IsInt()
  @Min(1)
  @Max(15)
  stepNo: number;

  /** The step's version as the caller last read it. */
  @ApiProperty({ minimum: 1 })
  @IsDbInt()
  expectedVersion: number;
}

export class BulkActionDto {
  @ApiProperty({ enum: ACTIONS, enumName: 'Action' })
  @IsIn(ACTIONS)
  action: Action;

  @ApiProperty({ type: () => [BulkItemDto], minItems: 1, maxItems: BULK_MAX_ITEMS })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(BULK_MAX_ITEMS)
  @ValidateNested({ each: true })
  @Type(() => BulkItemDto)
  items: BulkItemDto[];

  /** Required for return, reopen and skip; recorded on every item. */
  @ApiPropertyOptional({ minLength: 1, maxLength: 2000 })
  @IsOptional()
  @IsString()
  @Length(1, 2000)
  note?: string;

  @ApiPropertyOptional({ minLength: 1, maxLength: 500 })
  @IsOptional()
  @IsString()
  @Length(1, 500)
  documentRef?: string;
}

export class BulkResultDto {
  @ApiProperty()
  unitId: number;
  @ApiProperty()
  stepNo: number;
  @ApiProperty()
  ok: boolean;
  /** The error code of a refused item (as the single-step endpoint would answer). */
  @ApiPropertyOptional({ type: String })
  code?: string;
  @ApiPropertyOptional({ type: String })
  message?: string;
  @ApiPropertyOptional({ description: 'As in the error shape: allowedActions, currentVersion, pending…' })
  details?: unknown;
  /** The updated step of a transition that happened. */
  @ApiPropertyOptional({ type: () => WorkflowStepDto })
  step?: WorkflowStepDto;
}

export class BulkResponseDto {
  @ApiProperty({ type: () => [BulkResultDto] })
  results: BulkResultDto[];
}
