import { Injectable, OnModuleInit } from '@nestjs/common';
import { AuthUser, ScopeService } from '@app/auth';
import { DomainError, OperationsService, type Tier, Transactions, type Tx } from '@app/core';
import { CongressDateProblem, UnitHooks, UnitRow, UnitsRepository } from '@app/org';
import { congressWindowProblem, parseDeadlines, parseWindows, windowText } from './deadline-rules';
import { ActivationResultDto, CreatePlanDto, PlanDto, UpdatePlanDto, UpdatePlanStepDto } from './dto/plan.dto';
import { DEFAULT_CONGRESS_WINDOWS, DEFAULT_STEPS } from './plan-template';
import { DueDatePreview, PlansRepository } from './plans.repository';

const toVnDate = (iso: string) => iso.split('-').reverse().join('/');
/** The tiers as staff read them in a refusal. */
const TIER_NAME_VI: Record<string, string> = {
  central: 'Trung ương',
  province: 'tỉnh, thành phố',
  district: 'cấp trên trực tiếp cơ sở',
  grassroots: 'tổ chức cơ sở đảng',
  cell: 'chi bộ trực thuộc',
};

/** Thrown to end a transaction whose changes are only looked at (a preview). */
class Rollback extends Error {}

/**
 * Plans: created from the 15-step template, activated on a subtree (steps for every unit,
 * and for units added under it later), deadlines editable while running.
 */
@Injectable()
export class PlansService implements OnModuleInit {
  constructor(
    private readonly transactions: Transactions,
    private readonly plans: PlansRepository,
    private readonly units: UnitsRepository,
    private readonly hooks: UnitHooks,
    private readonly scope: ScopeService,
    private readonly operations: OperationsService,
  ) {}

  onModuleInit(): void {
    this.hooks.onUnitsCreated((tx, ids) => this.plans.createStepsForNewUnits(ids, tx));
    this.hooks.addCongressDateRule((unit, date, field) => this.checkCongressDate(unit, date, field));
    this.hooks.onCongressDateChanged((tx, unitId) => this.plans.recomputeForUnit(unitId, tx));
    this.hooks.onUnitsReshaped((tx, unitIds, options) => this.unitsReshaped(tx, unitIds, options.sameTier ?? false));
    this.hooks.onUnitsMerged(async (tx, sourceIds, targetId, created) => {
      if (created) await this.plans.followMerge(tx, sourceIds, targetId);
    });
  }

  async create(dto: CreatePlanDto): Promise<PlanDto> {
    const windows = { ...DEFAULT_CONGRESS_WINDOWS, ...(dto.congressWindows ? parseWindows(dto.congressWindows) : {}) };
    const id = await this.transactions.run((tx) =>
      this.plans.insert({ code: dto.code, name: dto.name, windows, steps: DEFAULT_STEPS }, tx),
    );
    if (id === null) throw new DomainError('CONFLICT', `A plan with code ${dto.code} already exists`, { field: 'code' });
    return this.get(id);
  }

  list(): Promise<PlanDto[]> {
    return this.plans.list();
  }

  async get(id: number): Promise<PlanDto> {
    const plan = await this.plans.find(id);
    if (!plan) throw DomainError.notFound('Plan', id);
    return plan;
  }

  /**
   * A plan reaches every unit under its root: only an admin whose subtree holds the plan's root
   * unit (or, for a plan not yet activated, an admin of the tree's root) may change it.
   */
  private async assertMayEdit(plan: PlanDto, user: AuthUser): Promise<void> {
    const rootPath = plan.rootUnitId === null ? null : ((await this.units.findById(plan.rootUnitId))?.path ?? null);
    await this.scope.assertAdminOver(user, rootPath, `Plan ${plan.id}`);
  }

  async update(id: number, dto: UpdatePlanDto, user: AuthUser): Promise<PlanDto> {
    await this.assertMayEdit(await this.get(id), user);
    const windows = dto.congressWindows ? parseWindows(dto.congressWindows) : undefined;
    await this.transactions.run((tx) => this.plans.update(id, { name: dto.name, windows }, tx));
    return this.get(id);
  }

  /**
   * Merges the given tiers' rules into the step and recomputes the due dates of its open steps;
   * sets the approver's clock (approvalWorkingDays) of a step that needs approval.
   */
  async updateStep(planId: number, no: number, dto: UpdatePlanStepDto, user: AuthUser): Promise<PlanDto> {
    if (dto.deadlines === undefined && dto.approvalWorkingDays === undefined && dto.appliesTo === undefined) {
      throw DomainError.validation([
        { field: 'deadlines', reason: 'give deadlines, approvalWorkingDays, appliesTo or several: is required' },
      ]);
    }
    const deadlines = dto.deadlines === undefined ? undefined : parseDeadlines(dto.deadlines);
    const plan = await this.get(planId);
    await this.assertMayEdit(plan, user);
    const step = plan.steps.find((s) => s.no === no);
    if (!step) throw DomainError.notFound('Step', no);
    if (dto.approvalWorkingDays != null && !step.requiresApproval) {
      throw DomainError.validation([{ field: 'approvalWorkingDays', reason: `step ${no} needs no approval: it has no approver's clock` }]);
    }
    await this.transactions.run(async (tx) => {
      if (deadlines) {
        if (!(await this.plans.mergeDeadlines(planId, no, deadlines, tx))) throw DomainError.notFound('Step', no);
        await this.plans.recomputeForStep(planId, no, tx);
      }
      if (dto.approvalWorkingDays !== undefined) await this.plans.setApprovalWorkingDays(planId, no, dto.approvalWorkingDays, tx);
      if (dto.appliesTo !== undefined) await this.setAppliesTo(plan, no, dto.appliesTo, tx);
    });
    return this.get(planId);
  }

  /**
   * The tiers a step applies to. On an active plan the units follow at once, in the same transaction:
   * units of an added tier get the step (with its due date), units of a removed tier lose it while
   * it is `not_started`. If a unit of a removed tier has already worked on it (started, submitted,
   * completed or skipped), nothing changes and the edit is refused (409): its work and history
   * are not thrown away; a supervisor skips or finishes it, or the tier is kept.
   */
  private async setAppliesTo(plan: PlanDto, no: number, tiers: Tier[], tx: Tx): Promise<void> {
    await this.plans.setAppliesTo(plan.id, no, [...new Set(tiers)], tx);
    if (plan.status !== 'active') return;
    const { blocked } = await this.plans.applyStepApplicability({ planId: plan.id, stepNo: no }, tx);
    if (blocked.length > 0) {
      throw new DomainError(
        'CONFLICT',
        `Bước ${no} đã được thực hiện ở ${blocked.length === 100 ? 'ít nhất 100' : blocked.length} đơn vị thuộc cấp bị bỏ ra; không thể bỏ cấp đó khỏi bước này`,
        { field: 'appliesTo', units: blocked.map((b) => ({ unitId: b.unitId, status: b.status })) },
      );
    }
  }

  /**
   * The activation in the background (`?async=true`): the plan and the root are checked now (a
   * missing one is refused at once), the steps are created by the operation whose id is returned.
   */
  async activateInBackground(planId: number, rootUnitId: number, user: AuthUser): Promise<number> {
    const root = await this.units.findById(rootUnitId);
    if (!root) throw DomainError.validation([{ field: 'rootUnitId', reason: `unit ${rootUnitId} does not exist` }]);
    await this.get(planId);
    return this.operations.start('plan_activation', { userId: user.id, unitPath: root.path }, async (report) => {
      await report({ phase: 'writing' });
      return this.activate(planId, rootUnitId);
    });
  }

  /**
   * What `updateStepDeadlines` would do to due dates, without saving: the new rules are merged and
   * the open steps recomputed inside a transaction that is rolled back.
   */
  async previewStepDeadlines(planId: number, no: number, input: Record<string, unknown>, user: AuthUser): Promise<DueDatePreview> {
    const deadlines = parseDeadlines(input);
    await this.assertMayEdit(await this.get(planId), user);
    let preview: DueDatePreview | null = null;
    await this.transactions
      .run(async (tx) => {
        if (!(await this.plans.mergeDeadlines(planId, no, deadlines, tx))) throw DomainError.notFound('Step', no);
        preview = await this.plans.previewRecomputeForStep(planId, no, tx);
        throw new Rollback('preview only');
      })
      .catch((error: unknown) => {
        if (!(error instanceof Rollback)) throw error;
      });
    return preview!;
  }

  async activate(planId: number, rootUnitId: number): Promise<ActivationResultDto> {
    const root = await this.units.findById(rootUnitId);
    if (!root) throw DomainError.validation([{ field: 'rootUnitId', reason: `unit ${rootUnitId} does not exist` }]);
    return this.transactions.run(async (tx) => {
      // Units created meanwhile must either be seen here or see the plan as active; and activations
      // take turns (the lock conflicts with itself), so the check for units in another plan below
      // sees an overlapping activation that committed first, rather than both inserting.
      await this.units.lockTree(tx);
      const status = await this.plans.statusForUpdate(planId, tx);
      if (!status) throw DomainError.notFound('Plan', planId);
      if (status === 'active') throw new DomainError('CONFLICT', `Plan ${planId} is already active`, { planId });
      const taken = await this.plans.unitsInOtherPlans(planId, root.path, tx);
      if (taken > 0) {
        throw new DomainError('CONFLICT', `${taken} unit(s) under ${root.code} already follow another plan`, { units: taken });
      }
      await this.plans.markActive(planId, rootUnitId, tx);
      return this.plans.createStepsUnder(planId, root.path, tx);
    });
  }

  /**
   * Units moved or re-tiered: their subtrees get the steps of the active plan now covering them and
   * lose the untouched steps of a plan that no longer does (syncUnitPlanSteps), their open steps take
   * the due dates of their (new) tier (unless only moved: `sameTier`), and a congress
   * date outside the new tier's window is reported, so that the move is refused (not silently cleared:
   * the date was agreed with the unit; the admin clears or changes it first).
   */
  private async unitsReshaped(tx: Tx, unitIds: number[], sameTier: boolean): Promise<CongressDateProblem[]> {
    // Moved into (or out of) the subtree of an active plan: the plan's steps that apply to each
    // unit's tier follow, for the whole subtree.
    await this.plans.syncUnitPlanSteps(tx, await this.plans.subtreeIds(tx, unitIds));
    if (!sameTier) {
      // A re-tiered unit's steps follow the plan's appliesTo for its new tier; a step it has worked
      // on and that its new tier does not have refuses the change.
      const { blocked } = await this.plans.applyStepApplicability({ unitIds }, tx);
      if (blocked.length > 0) {
        return blocked.map((b) => ({
          unitId: b.unitId,
          reason: `bước ${b.stepNo} không áp dụng cho cấp mới nhưng đơn vị đã thực hiện (trạng thái ${b.status}); hãy giữ cấp cũ hoặc điều chỉnh kế hoạch trước`,
        }));
      }
      await this.plans.recomputeForUnits(unitIds, tx);
    }
    const outside = await this.plans.congressDatesOutsideWindow(unitIds, tx);
    return outside.map((o) => ({
      unitId: o.unitId,
      reason: `ngày đại hội ${toVnDate(o.date)} nằm ngoài khung thời gian đại hội của ${TIER_NAME_VI[o.tier] ?? o.tier} (${windowText(o)}); hãy đổi hoặc xóa ngày đại hội trước`,
    }));
  }

  /** The one window rule (congressWindowProblem) for a unit's congress date and its record's `heldOn`. */
  private async checkCongressDate(unit: UnitRow, date: string, field: string): Promise<void> {
    const reason = congressWindowProblem(await this.plans.windowFor(unit.id, unit.tier), date);
    if (reason) throw DomainError.validation([{ field, reason: `${reason} (${unit.tier})` }]);
  }
}
