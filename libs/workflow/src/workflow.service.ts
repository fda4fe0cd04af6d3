import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Clock, DomainError } from '@app/core';
import type { AuthUser } from '@app/auth';
import { CongressService } from '@app/congress';
import { UnitsRepository } from '@app/org';
import { CONGRESS_STEP_NO } from '@app/plan';
import { HistoryEntryDto, TransitionDto, WorkflowDto, WorkflowStepDto } from './dto/workflow.dto';
import { allowedActions, CallerFacts, refusal, StepFacts } from './transition-rules';
import { FINISHED, TRANSITION_BY_ACTION } from './transition-table';
import { StepRow, WorkflowRepository } from './workflow.repository';

/** The per-unit workflow: its 15 steps, the transitions of the table, and their history. */
@Injectable()
export class WorkflowService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
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
    const caller = callerFacts(user, unit.path);
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

  /** One transaction: checks from the table, conditional UPDATE on version, history event, outbox row. */
  async transition(unitId: number, stepNo: number, dto: TransitionDto, user: AuthUser): Promise<WorkflowStepDto> {
    const t = TRANSITION_BY_ACTION[dto.action];
    if (t.noteRequired && !dto.note?.trim()) {
      throw DomainError.validation([{ field: 'note', reason: `a reason is required to ${dto.action} a step` }]);
    }
    const unitPath = await this.units.pathOf(unitId);
    if (unitPath === null) throw DomainError.notFound('Unit', unitId);
    const caller = callerFacts(user, unitPath);
    const today = this.clock.today();
    return this.db.transaction(async (tx) => {
      const step = await this.requireStep(unitId, stepNo, tx);
      if (step.version !== dto.expectedVersion) throw versionConflict(step.version);
      const facts = await this.facts(unitId, step, tx);
      const refused = refusal(t, facts, caller);
      if (refused) throw refused;
      const applied = await this.repo.apply(
        {
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
        },
        tx,
      );
      if (!applied) throw versionConflict((await this.repo.currentVersion(unitId, stepNo)) ?? step.version);
      // The prerequisites and contents facts belong to other rows: only this step's status changed.
      const after: StepRow = { ...step, status: t.to, version: applied.version, updatedAt: applied.updatedAt, updatedBy: user.id };
      return this.toStepDto(after, caller, today, { ...facts, status: t.to });
    });
  }

  async history(unitId: number, stepNo: number): Promise<HistoryEntryDto[]> {
    await this.db.transaction((tx) => this.requireStep(unitId, stepNo, tx));
    return this.repo.history(unitId, stepNo);
  }

  private async requireStep(unitId: number, stepNo: number, tx: EntityManager): Promise<StepRow> {
    const step = await this.repo.step(unitId, stepNo, tx);
    if (!step) throw new DomainError('NOT_FOUND', `Unit ${unitId} has no step ${stepNo}`, { unitId, stepNo });
    return step;
  }

  private async facts(unitId: number, step: StepRow, tx: EntityManager): Promise<StepFacts> {
    return {
      stepNo: step.no,
      status: step.status,
      requiresApproval: step.requiresApproval,
      pendingPrerequisites: await this.repo.pendingPrerequisites(unitId, step.dependsOn, tx),
      unrecordedContents: step.no === CONGRESS_STEP_NO ? await this.congress.unrecordedContents(unitId, tx) : [],
    };
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

function callerFacts(user: AuthUser, unitPath: string): CallerFacts {
  // The guard has checked the unit is in the caller's subtree; a different path means a strict ancestor.
  return { role: user.role, isSuperior: unitPath !== user.unitPath && unitPath.startsWith(user.unitPath) };
}

function versionConflict(currentVersion: number): DomainError {
  return new DomainError('VERSION_CONFLICT', 'The step was changed by someone else; reload it and try again', { currentVersion });
}
