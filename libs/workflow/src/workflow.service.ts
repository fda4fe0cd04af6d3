import { Injectable } from '@nestjs/common';
import { Clock, DomainError } from '@app/core';
import type { AuthUser } from '@app/auth';
import { CongressService, unrecordedContents } from '@app/congress';
import { UnitsRepository } from '@app/org';
import { CONGRESS_STEP_NO } from '@app/plan';
import { HistoryEntryDto, TransitionDto, WorkflowDto, WorkflowStepDto } from './dto/workflow.dto';
import { allowedActions, CallerFacts, refusal, StepFacts } from './transition-rules';
import { FINISHED, Transition, TRANSITION_BY_ACTION } from './transition-table';
import { StepRow, WorkflowRepository } from './workflow.repository';

/** The per-unit workflow: its 15 steps, the transitions of the table, and their history. */
@Injectable()
export class WorkflowService {
  constructor(
    private readonly repo: WorkflowRepository,
    private readonly units: UnitsRepository,
    private readonly congress: CongressService,
    private readonly clock: Clock,
  ) {}

  async workflow(unitId: number, user: AuthUser): Promise<WorkflowDto> {
    const unit = await this.units.findById(unitId);
    if (!unit) throw DomainError.notFound('Unit', unitId);
    const rows = await this.repo.steps(unitId);
    if (rows.length === 0) throw new DomainError('NOT_FOUND', `Unit ${unitId} does not follow a plan yet`, { unitId });
    const caller = callerFacts(user, unitId);
    const unrecorded = await this.congress.unrecordedContents(unitId);
    const finished = new Set(rows.filter((r) => FINISHED.includes(r.status)).map((r) => r.no));
    const today = this.clock.today();
    const steps = rows.map((r) =>
      this.toStepDto(r, caller, today, {
        stepNo: r.no,
        status: r.status,
        requiresApproval: r.requiresApproval,
        pendingPrerequisites: r.dependsOn.filter((d) => !finished.has(d)),
        unrecordedContents: r.no === CONGRESS_STEP_NO ? unrecorded : [],
      }),
    );
    return {
      unitId,
      planId: rows[0].planId,
      congressDate: unit.congressDate,
      progress: { completed: finished.size, total: rows.length, overdue: steps.filter((s) => s.overdue).length },
      steps,
    };
  }

  /**
   * A transition: the table's rules checked on a fresh read, then one statement (one transaction)
   * that applies it only if the version, the prerequisites and the contents still hold. The
   * caller has passed the scope guard for this unit (its own unit or one below).
   */
  async transition(unitId: number, stepNo: number, dto: TransitionDto, user: AuthUser): Promise<WorkflowStepDto> {
    const t = TRANSITION_BY_ACTION[dto.action];
    if (t.noteRequired && !dto.note?.trim()) {
      throw DomainError.validation([{ field: 'note', reason: `a reason is required to ${dto.action} a step` }]);
    }
    const caller = callerFacts(user, unitId);
    const step = await this.readStep(unitId, stepNo);
    this.check(t, step, dto.expectedVersion, caller);
    const applied = await this.repo.apply({
      unitId,
      stepNo,
      expectedVersion: dto.expectedVersion,
      from: step.status,
      to: t.to,
      action: t.action,
      actorId: user.id,
      note: dto.note ?? null,
      documentRef: dto.documentRef ?? null,
      topic: t.emits ?? null,
      prerequisites: t.needsPrerequisites ? step.dependsOn : [],
      needsContents: Boolean(t.needsContents) && stepNo === CONGRESS_STEP_NO,
    });
    if (!applied) {
      // Something changed between the read and the write: say what, from a fresh read.
      this.check(t, await this.readStep(unitId, stepNo), dto.expectedVersion, caller);
      throw versionConflict(step.version + 1);
    }
    const after: StepRow = { ...step, status: t.to, version: applied.version, updatedAt: applied.updatedAt, updatedBy: user.id };
    return this.toStepDto(after, caller, this.clock.today(), { ...step.facts, status: t.to });
  }

  async history(unitId: number, stepNo: number): Promise<HistoryEntryDto[]> {
    await this.readStep(unitId, stepNo);
    return this.repo.history(unitId, stepNo);
  }

  private async readStep(unitId: number, stepNo: number): Promise<StepRow & { facts: StepFacts }> {
    const step = await this.repo.stepWithFacts(unitId, stepNo);
    if (!step) throw new DomainError('NOT_FOUND', `Unit ${unitId} has no step ${stepNo}`, { unitId, stepNo });
    const facts: StepFacts = {
      stepNo: step.no,
      status: step.status,
      requiresApproval: step.requiresApproval,
      pendingPrerequisites: step.pending,
      unrecordedContents: step.no === CONGRESS_STEP_NO ? unrecordedContents(step.contents) : [],
    };
    return { ...step, facts };
  }

  private check(t: Transition, step: StepRow & { facts: StepFacts }, expectedVersion: number, caller: CallerFacts): void {
    if (step.version !== expectedVersion) throw versionConflict(step.version);
    const refused = refusal(t, step.facts, caller);
    if (refused) throw refused;
  }

  private toStepDto(r: StepRow, caller: CallerFacts, today: string, facts: StepFacts): WorkflowStepDto {
    const open = !FINISHED.includes(r.status);
    return {
      no: r.no,
      code: r.code,
      title: r.title,
      status: r.status,
      dueDate: r.dueDate,
      // Overdue from the day after the due date, while not completed or skipped.
      overdue: open && r.dueDate !== null && r.dueDate < today,
      unscheduled: r.dueDate === null,
      requiresApproval: r.requiresApproval,
      dependsOn: r.dependsOn,
      version: r.version,
      allowedActions: allowedActions(facts, caller),
      updatedAt: new Date(r.updatedAt).toISOString(),
      updatedBy: r.updatedBy,
    };
  }
}

function callerFacts(user: AuthUser, unitId: number): CallerFacts {
  // The guard has checked the unit is in the caller's subtree: any unit but the caller's own is below it.
  return { role: user.role, isSuperior: unitId !== user.unitId };
}

function versionConflict(currentVersion: number): DomainError {
  return new DomainError('VERSION_CONFLICT', 'The step was changed by someone else; reload it and try again', { currentVersion });
}
