import { Injectable, Logger } from '@nestjs/common';
import { Clock, DomainError, OFF_UNIT_CLOCK } from '@app/core';
import type { AuthUser } from '@app/auth';
import { CongressService, unrecordedContents } from '@app/congress';
import { assertActive, UnitsRepository } from '@app/org';
import { CONGRESS_STEP_NO } from '@app/plan';
import { BulkActionDto, BulkResultDto, BulkResponseDto } from './dto/work.dto';
import { HistoryEntryDto, PutMilestoneDto, StepMilestoneDto, TransitionDto, WorkflowDto, WorkflowStepDto } from './dto/workflow.dto';
import { allowedActions, CallerFacts, pendingPrerequisites, refusal, StepFacts } from './transition-rules';
import { FINISHED, Transition, TRANSITION_BY_ACTION } from './transition-table';
import { StepRow, ViewStepRow, WorkflowRepository } from './workflow.repository';

/** Transitions of one bulk request in flight at once (each holds a pooled connection for a few ms). */
const BULK_CONCURRENCY = 4;

/** The per-unit workflow: its 15 steps, the transitions of the table, and their history. */
@Injectable()
export class WorkflowService {
  private readonly logger = new Logger(WorkflowService.name);

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
    // A merged or dissolved unit's workflow is read-only: its history stays readable, no action is offered.
    const caller: CallerFacts | null = unit.status === 'active' ? callerFacts(user, unitId) : null;
    const unrecorded = await this.congress.unrecordedContents(unitId);
    const finished = new Set(rows.filter((r) => FINISHED.includes(r.status)).map((r) => r.no));
    // The unit's own steps: those its plan applies to its tier (a cell has no step 2 or 6).
    const own = new Map(rows.map((r) => [r.no, r.status]));
    const today = this.clock.today();
    const steps = rows.map((r) =>
      this.toStepDto({ ...r, dependsOn: r.dependsOn.filter((d) => own.has(d)) }, caller, today, {
        stepNo: r.no,
        status: r.status,
        requiresApproval: r.requiresApproval,
        pendingPrerequisites: pendingPrerequisites(r.dependsOn, own),
        unrecordedContents: r.no === CONGRESS_STEP_NO ? unrecorded : [],
        atRoot: unit.parentId === null,
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
    if (step.facts.atRoot && t.atRoot?.documentRefRequired && !dto.documentRef?.trim()) {
      // The root's approvals are outside decisions (Politburo, Secretariat): their number is the record.
      throw DomainError.validation([
        { field: 'documentRef', reason: `the root's ${dto.action} records an outside decision: its number and date are required` },
      ]);
    }
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
      planId: step.planId,
      today: this.clock.today(),
    });
    if (!applied) {
      // Something changed between the read and the write: say what, from a fresh read.
      this.check(t, await this.readStep(unitId, stepNo), dto.expectedVersion, caller);
      throw versionConflict(step.version + 1);
    }
    const after: ViewStepRow = {
      ...step,
      status: t.to,
      approvalDue: applied.approvalDue,
      version: applied.version,
      updatedAt: applied.updatedAt,
      updatedBy: { id: user.id, name: user.name },
      lastNote: dto.note ?? null,
      lastDocumentRef: dto.documentRef ?? null,
    };
    return this.toStepDto(after, caller, this.clock.today(), { ...step.facts, status: t.to });
  }

  /**
   * One action on many steps: each item is its own transition (same rules, own transaction), checked
   * against the caller's scope one by one; a refusal is reported for its item and undoes nothing else.
   * The scope of every unit is read in one query; the transitions run a few at a time, in any order.
   */
  async bulk(dto: BulkActionDto, user: AuthUser): Promise<BulkResponseDto> {
    const t = TRANSITION_BY_ACTION[dto.action];
    if (t.noteRequired && !dto.note?.trim()) {
      throw DomainError.validation([{ field: 'note', reason: `a reason is required to ${dto.action} a step` }]);
    }
    const paths = await this.units.pathsOf([...new Set(dto.items.map((i) => i.unitId))]);
    const results = new Array<BulkResultDto>(dto.items.length);
    let next = 0;
    const worker = async () => {
      for (let i = next++; i < dto.items.length; i = next++) {
        const { unitId, stepNo, expectedVersion } = dto.items[i];
        try {
          const path = paths.get(unitId);
          if (path === undefined) throw DomainError.notFound('Unit', unitId);
          if (!path.startsWith(user.unitPath)) {
            throw new DomainError('FORBIDDEN_SCOPE', `Unit ${unitId} is outside your unit's subtree`, { unitId });
          }
          const step = await this.transition(
            unitId,
            stepNo,
            { action: dto.action, expectedVersion, note: dto.note, documentRef: dto.documentRef },
            user,
          );
          results[i] = { unitId, stepNo, ok: true, step };
        } catch (error) {
          if (!(error instanceof DomainError)) this.logger.error({ err: error, unitId, stepNo }, 'Bulk item failed');
          const body = error instanceof DomainError ? error.toBody() : { code: 'INTERNAL', message: 'Internal error', details: undefined };
          results[i] = {
            unitId,
            stepNo,
            ok: false,
            code: body.code,
            message: body.message,
            ...(body.details === undefined ? {} : { details: body.details }),
          };
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(BULK_CONCURRENCY, dto.items.length) }, worker));
    return { results };
  }

  /**
   * The unit marks a step's milestone done (or not done after all): an editor of the unit or of a
   * unit above it (the guard checked role and scope), while the unit is active. 404 when the unit
   * has no such step or the step has no milestone for the unit's tier.
   */
  async setMilestone(unitId: number, stepNo: number, dto: PutMilestoneDto, user: AuthUser): Promise<StepMilestoneDto> {
    const unit = await this.units.findById(unitId);
    if (!unit) throw DomainError.notFound('Unit', unitId);
    assertActive(unit);
    const marked = await this.repo.setMilestoneDone(unitId, stepNo, dto.done, user.id);
    if (!marked) throw new DomainError('NOT_FOUND', `Unit ${unitId} has no milestone in step ${stepNo}`, { unitId, stepNo });
    const step = await this.readStep(unitId, stepNo);
    return milestoneOf(step, this.clock.today())!;
  }

  async history(unitId: number, stepNo: number): Promise<HistoryEntryDto[]> {
    await this.readStep(unitId, stepNo);
    return this.repo.history(unitId, stepNo);
  }

  private async readStep(unitId: number, stepNo: number): Promise<StepRow & { facts: StepFacts; unitId: number; unitStatus: string }> {
    const step = await this.repo.stepWithFacts(unitId, stepNo);
    if (!step) throw new DomainError('NOT_FOUND', `Unit ${unitId} has no step ${stepNo}`, { unitId, stepNo });
    const facts: StepFacts = {
      stepNo: step.no,
      status: step.status,
      requiresApproval: step.requiresApproval,
      pendingPrerequisites: step.pending,
      unrecordedContents: step.no === CONGRESS_STEP_NO ? unrecordedContents(step.contents) : [],
      atRoot: step.atRoot,
    };
    return { ...step, unitId, facts };
  }

  private check(
    t: Transition,
    step: StepRow & { facts: StepFacts; unitId: number; unitStatus: string; closedOn?: string | null },
    expectedVersion: number,
    caller: CallerFacts,
  ): void {
    const refused = refusal(t, step.facts, caller);
    // A caller who may not act here at all hears that first (403), before what state the unit is in.
    if (refused?.code === 'FORBIDDEN_SCOPE') throw refused;
    assertActive({ id: step.unitId, status: step.unitStatus as 'active', closedOn: step.closedOn ?? null });
    if (step.version !== expectedVersion) throw versionConflict(step.version);
    if (refused) throw refused;
  }

  private toStepDto(r: ViewStepRow, caller: CallerFacts | null, today: string, facts: StepFacts): WorkflowStepDto {
    // The unit's overdue: a submitted step (awaiting approval) is on the approver's clock (approvalOverdue) instead.
    const onUnitsClock = !OFF_UNIT_CLOCK.includes(r.status);
    const overdue = onUnitsClock && r.dueDate !== null && r.dueDate < today;
    return {
      no: r.no,
      code: r.code,
      title: r.title,
      status: r.status,
      dueDate: r.dueDate,
      dueDateSource: r.dueDateSource,
      dueDateReason: r.dueDateReason,
      approvalDue: r.status === 'awaiting_approval' ? r.approvalDue : null,
      approvalOverdue: r.status === 'awaiting_approval' && r.approvalDue !== null && r.approvalDue < today,
      // Overdue from the day after the due date, while not completed, skipped or awaiting approval.
      overdue,
      daysOverdue: overdue ? daysBetween(r.dueDate as string, today) : 0,
      unscheduled: r.dueDate === null,
      requiresApproval: r.requiresApproval,
      dependsOn: r.dependsOn,
      version: r.version,
      allowedActions: caller ? allowedActions(facts, caller) : [],
      updatedAt: new Date(r.updatedAt).toISOString(),
      updatedBy: r.updatedBy,
      lastNote: r.lastNote,
      lastDocumentRef: r.lastDocumentRef,
      milestone: milestoneOf(r, today),
    };
  }
}

/** The step's milestone as the view shows it: overdue from the day after its due date while not marked and the step is open. */
function milestoneOf(r: StepRow, today: string): StepMilestoneDto | null {
  if (r.milestoneTitle === null) return null;
  const done = r.milestoneDoneAt !== null;
  return {
    title: r.milestoneTitle,
    dueDate: r.milestoneDue,
    done,
    doneAt: done ? new Date(r.milestoneDoneAt as Date).toISOString() : null,
    overdue: !done && !FINISHED.includes(r.status) && r.milestoneDue !== null && r.milestoneDue < today,
  };
}

function callerFacts(user: AuthUser, unitId: number): CallerFacts {
  // The guard has checked the unit is in the caller's subtree: any unit but the caller's own is below it.
  return { role: user.role, isSuperior: unitId !== user.unitId };
}

/** Calendar days from `from` to `to` (YYYY-MM-DD). */
function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

function versionConflict(currentVersion: number): DomainError {
  return new DomainError('VERSION_CONFLICT', 'The step was changed by someone else; reload it and try again', { currentVersion });
}
