import { IsIn, IsOptional, IsString, Length } from 'class-validator';
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

export class WorkflowStepDto {
  no: number;
  code: string;
  title: string;
  status: StepStatus;
  dueDate: string | null;
  overdue: boolean;
  /** No due date yet: the rule counts from a congress date that is not set. */
  unscheduled: boolean;
  requiresApproval: boolean;
  dependsOn: number[];
  version: number;
  allowedActions: Action[];
  updatedAt: string;
  updatedBy: number | null;
}

export class WorkflowDto {
  unitId: number;
  planId: number;
  congressDate: string | null;
  progress: { completed: number; total: number; overdue: number };
  steps: WorkflowStepDto[];
}

export class HistoryEntryDto {
  at: string;
  actor: { id: number; name: string; email: string } | null;
  action: Action;
  fromStatus: StepStatus;
  toStatus: StepStatus;
  note: string | null;
  documentRef: string | null;
}
