import { ApiProperty } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsOptional, IsString, Length } from 'class-validator';
import { IsDbInt } from '@app/core';
import { ACTIONS, type Action, type StepStatus } from '../transition-table';

export class TransitionDto {
  @IsIn(ACTIONS)
  action: Action;

  /** The step's version as the caller last read it; a stale one gets 409 VERSION_CONFLICT. */
  @IsDbInt()
  expectedVersion: number;

  /** Required for return, reopen and skip. */
  @IsOptional()
  @IsString()
  @Length(1, 2000)
  note?: string;

  /** Reference of the supporting document (number of a decision, a file link). */
  @IsOptional()
  @IsString()
  @Length(1, 500)
  documentRef?: string;
}

/** Who changed a step last. */
export class StepActorDto {
  @ApiProperty()
  id: number;
  @ApiProperty()
  name: string;
}

/**
 * A dated point inside a step (step 11: delegate allocation and the opening date, 30 working days
 * before the congress), marked done by the unit. Overdue from the day after its due date while not
 * marked and the step is not finished.
 */
export class StepMilestoneDto {
  title: string;
  /** Null while the unit has no congress date (the rule counts from it). */
  @ApiProperty({ type: String, nullable: true })
  dueDate: string | null;
  done: boolean;
  @ApiProperty({ type: String, nullable: true })
  doneAt: string | null;
  overdue: boolean;
}

export class PutMilestoneDto {
  /** true: the milestone is done; false: not done after all. */
  @IsBoolean()
  done: boolean;
}

export class WorkflowStepDto {
  no: number;
  code: string;
  title: string;
  status: StepStatus;
  dueDate: string | null;
  /** Where the due date comes from: `plan` (the plan's rule for the tier) or `unit` (the unit's own deadline, set by a superior). */
  @ApiProperty({ enum: ['plan', 'unit'] })
  dueDateSource: 'plan' | 'unit';
  /** Why the unit has its own deadline (null for the plan's rule). */
  @ApiProperty({ type: String, nullable: true })
  dueDateReason: string | null;
  /** While awaiting approval: the approver's deadline (e.g. 15 working days from the submission for step 13). */
  @ApiProperty({ type: String, nullable: true })
  approvalDue: string | null;
  /** Awaiting approval past the approver's deadline: the approver's overdue item. */
  approvalOverdue: boolean;
  overdue: boolean;
  /** Days since the due date while overdue (from the day after it), else 0. */
  @ApiProperty({ minimum: 0 })
  daysOverdue: number;
  /** No due date yet: the rule counts from a congress date that is not set. */
  unscheduled: boolean;
  requiresApproval: boolean;
  dependsOn: number[];
  version: number;
  allowedActions: Action[];
  updatedAt: string;
  /** Who made the last transition (null: never changed since activation). */
  @ApiProperty({ type: () => StepActorDto, nullable: true })
  updatedBy: StepActorDto | null;
  /** The note of the step's last transition (a return's reason, a submission's note). */
  @ApiProperty({ type: String, nullable: true })
  lastNote: string | null;
  /** The document reference of the step's last transition. */
  @ApiProperty({ type: String, nullable: true })
  lastDocumentRef: string | null;
  /** The step's milestone for this unit's tier (null: none). */
  @ApiProperty({ type: () => StepMilestoneDto, nullable: true })
  milestone: StepMilestoneDto | null;
}

export class WorkflowProgressDto {
  @ApiProperty()
  completed: number;
  @ApiProperty()
  total: number;
  @ApiProperty()
  overdue: number;
}

export class HistoryActorDto {
  @ApiProperty()
  id: number;
  @ApiProperty()
  name: string;
  @ApiProperty()
  email: string;
}

export class WorkflowDto {
  unitId: number;
  planId: number;
  congressDate: string | null;
  @ApiProperty({ type: () => WorkflowProgressDto })
  progress: WorkflowProgressDto;
  steps: WorkflowStepDto[];
}

export class HistoryEntryDto {
  at: string;
  @ApiProperty({ type: () => HistoryActorDto, nullable: true })
  actor: HistoryActorDto | null;
  action: Action;
  fromStatus: StepStatus;
  toStatus: StepStatus;
  note: string | null;
  documentRef: string | null;
}
