import { Injectable } from '@nestjs/common';
import { DomainError, TIER_RANK, Transactions, type Tier, type Tx } from '@app/core';
import { DissolveResultDto, DissolveUnitDto, LineageDto, MergeResultDto, MergeUnitsDto } from './dto/reorg.dto';
import { ReorgRepository } from './reorg.repository';
import { UnitHooks } from './unit-hooks';
import { UnitsRepository } from './units.repository';
import { assertActive } from './units.service';

/** Who reorganises: an admin (the controller checks the role) acting below its own unit. */
export interface Reorganiser {
  id: number;
  unitPath: string;
}

type Locked = Awaited<ReturnType<ReorgRepository['lockUnits']>>[number];

function outOfScope(id: number): DomainError {
  return new DomainError('FORBIDDEN_SCOPE', `Unit ${id} is not below your unit: only an admin of a strict ancestor may reorganise it`, {
    unitId: id,
  });
}

/**
 * Merging and dissolving units (API.md "Reorganisation"), each one transaction under the tree lock:
 * the closed units keep their history (their open steps become `closed`), their active children move
 * with their subtrees under the unit that takes over, and the lineage records the decision.
 */
@Injectable()
export class ReorgService {
  constructor(
    private readonly transactions: Transactions,
    private readonly units: UnitsRepository,
    private readonly repo: ReorgRepository,
    private readonly hooks: UnitHooks,
  ) {}

  async merge(dto: MergeUnitsDto, caller: Reorganiser): Promise<MergeResultDto> {
    const sourceIds = [...new Set(dto.sourceIds)];
    if (sourceIds.length !== dto.sourceIds.length) {
      throw DomainError.validation([{ field: 'sourceIds', reason: 'a unit is listed twice' }]);
    }
    const into = dto.into;
    if (
      into.id !== undefined &&
      (into.code !== undefined || into.name !== undefined || into.tier !== undefined || into.parentId !== undefined)
    ) {
      throw DomainError.validation([
        { field: 'into', reason: 'give either {id} of an existing unit or {code, name, tier, parentId} of a new one' },
      ]);
    }
    if (into.id !== undefined && sourceIds.includes(into.id)) {
      throw DomainError.validation([{ field: 'into.id', reason: 'the target cannot be one of the sources' }]);
    }
    const note = dto.note ?? null;
    return this.transactions.run(async (tx) => {
      await this.units.lockTree(tx);
      const sources = await this.lockedSources(tx, sourceIds, caller);
      let target: { id: number; code: string; path: string; depth: number; tier: Tier };
      if (into.id !== undefined) {
        const [t] = await this.repo.lockUnits(tx, [into.id]);
        if (!t) throw DomainError.notFound('Unit', into.id);
        if (!t.path.startsWith(caller.unitPath) || t.path === caller.unitPath) throw outOfScope(t.id);
        assertActive(await this.requireRow(t.id, tx));
        target = { id: t.id, code: t.code, path: t.path, depth: t.depth, tier: t.tier as Tier };
      } else {
        const parent = await this.units.findById(into.parentId as number, tx);
        if (!parent) throw DomainError.validation([{ field: 'into.parentId', reason: `unit ${into.parentId} does not exist` }]);
        if (!parent.path.startsWith(caller.unitPath)) throw outOfScope(parent.id);
        assertActive(parent);
        const tier = into.tier as Tier;
        if (TIER_RANK[tier] <= TIER_RANK[parent.tier]) {
          throw DomainError.validation([{ field: 'into.tier', reason: `tier ${tier} must be below its parent's tier ${parent.tier}` }]);
        }
        if (sources.some((s) => parent.path.startsWith(s.path))) {
          throw DomainError.validation([{ field: 'into.parentId', reason: 'the new unit cannot be placed under a unit being merged' }]);
        }
        if (await this.units.codeExists(into.code as string, tx)) {
          throw new DomainError('CONFLICT', `A unit with code ${into.code} already exists`, { field: 'into.code' });
        }
        const id = await this.units.insert(
          {
            code: into.code as string,
            name: into.name as string,
            tier,
            parent,
            contactEmails: [],
            committeeName: into.committeeName ?? null,
          },
          tx,
        );
        // The active plan's steps, due dates from its rules (a supervisor may then set the unit's own).
        await this.hooks.unitsCreated(tx, [id]);
        const created = await this.requireRow(id, tx);
        target = { id, code: created.code, path: created.path, depth: created.depth, tier };
      }
      if (sources.some((s) => target.path.startsWith(s.path))) {
        throw DomainError.validation([{ field: 'into.id', reason: 'the target lies under a unit being merged' }]);
      }
      await this.checkChildTiers(tx, sourceIds, target.tier, 'into.tier');
      const closedSteps = await this.repo.closeOpenSteps(tx, sourceIds, caller.id, 'merge', note, dto.decisionRef);
      await this.hooks.unitsMerged(tx, sourceIds, target.id, into.id === undefined);
      const moved = await this.repo.moveActiveChildren(tx, sourceIds, target);
      await this.repo.closeUnits(tx, sourceIds, 'merged', dto.effectiveOn, target.id);
      // The target (a plan may have followed it) and the moved subtrees take the plan steps of where they are now.
      await this.reshaped(tx, [target.id, ...moved]);
      const movedChildren = moved.length;
      await this.repo.addLineage(tx, {
        sourceIds,
        targetId: target.id,
        kind: 'merged',
        effectiveOn: dto.effectiveOn,
        decisionRef: dto.decisionRef,
        note,
        actorId: caller.id,
      });
      return { target: { id: target.id, code: target.code }, closedUnits: sources.length, closedSteps, movedChildren };
    });
  }

  async dissolve(unitId: number, dto: DissolveUnitDto, caller: Reorganiser): Promise<DissolveResultDto> {
    const note = dto.note ?? null;
    return this.transactions.run(async (tx) => {
      await this.units.lockTree(tx);
      const [unit] = await this.lockedSources(tx, [unitId], caller);
      const children = await this.repo.activeChildren(tx, [unitId]);
      let heir: { id: number; path: string; depth: number } | null = null;
      if (dto.moveChildrenTo !== undefined) {
        if (dto.moveChildrenTo === unitId) {
          throw DomainError.validation([{ field: 'moveChildrenTo', reason: 'the children cannot stay under the dissolved unit' }]);
        }
        const target = await this.units.findById(dto.moveChildrenTo, tx);
        if (!target) throw DomainError.validation([{ field: 'moveChildrenTo', reason: `unit ${dto.moveChildrenTo} does not exist` }]);
        if (!target.path.startsWith(caller.unitPath)) throw outOfScope(target.id);
        assertActive(target);
        if (target.path.startsWith(unit.path)) {
          throw DomainError.validation([{ field: 'moveChildrenTo', reason: 'the target lies under the dissolved unit' }]);
        }
        await this.checkChildTiers(tx, [unitId], target.tier, 'moveChildrenTo');
        heir = target;
      } else if (children.length > 0) {
        throw new DomainError(
          'CONFLICT',
          `Đơn vị còn ${children.length} đơn vị trực thuộc đang hoạt động: chọn đơn vị tiếp nhận (moveChildrenTo) trước khi giải thể`,
          { activeChildren: children.length },
        );
      }
      const closedSteps = await this.repo.closeOpenSteps(tx, [unitId], caller.id, 'dissolve', note, dto.decisionRef);
      const moved = heir ? await this.repo.moveActiveChildren(tx, [unitId], heir) : [];
      await this.repo.closeUnits(tx, [unitId], 'dissolved', dto.effectiveOn, null);
      await this.reshaped(tx, moved);
      const movedChildren = moved.length;
      await this.repo.addLineage(tx, {
        sourceIds: [unitId],
        targetId: heir?.id ?? null,
        kind: 'dissolved',
        effectiveOn: dto.effectiveOn,
        decisionRef: dto.decisionRef,
        note,
        actorId: caller.id,
      });
      return { unitId, closedSteps, movedChildren, childrenMovedTo: heir?.id ?? null };
    });
  }

  async lineage(unitId: number): Promise<LineageDto> {
    const unit = await this.units.findById(unitId);
    if (!unit) throw DomainError.notFound('Unit', unitId);
    const [predecessors, successor] = await Promise.all([this.repo.predecessors(unitId), this.repo.successor(unitId)]);
    return { unitId, status: unit.status, closedOn: unit.closedOn, predecessors, successor };
  }

  /** The sources, locked: each exists, is active, lies strictly below the caller's unit, none under another. */
  private async lockedSources(tx: Tx, ids: number[], caller: Reorganiser): Promise<Locked[]> {
    const rows = await this.repo.lockUnits(tx, ids);
    const found = new Set(rows.map((r) => r.id));
    const missing = ids.filter((id) => !found.has(id));
    if (missing.length > 0) throw DomainError.notFound('Unit', missing.join(', '));
    for (const r of rows) {
      if (!r.path.startsWith(caller.unitPath) || r.path === caller.unitPath) throw outOfScope(r.id);
    }
    for (const r of rows) assertActive(await this.requireRow(r.id, tx));
    for (const r of rows) {
      const above = rows.find((o) => o.id !== r.id && r.path.startsWith(o.path));
      if (above) {
        throw DomainError.validation([{ field: 'sourceIds', reason: `unit ${r.id} lies under unit ${above.id}, which is merged too` }]);
      }
    }
    return rows;
  }

  /**
   * Units moved by the reorganisation (their tier unchanged, so are the due dates of their steps):
   * the plan steps of where they are now; a congress date outside the window of the plan they now walk refuses the operation.
   */
  private async reshaped(tx: Tx, unitIds: number[]): Promise<void> {
    const problems = await this.hooks.unitsReshaped(tx, unitIds, { sameTier: true });
    if (problems.length > 0) {
      throw DomainError.validation(
        problems.map((p) => ({ field: 'congressDate', reason: `đơn vị ${p.unitId}: ${p.reason}` })),
        'Ngày đại hội không còn phù hợp sau khi chuyển đơn vị',
      );
    }
  }

  private async requireRow(id: number, tx: Tx) {
    const row = await this.units.findById(id, tx);
    if (!row) throw DomainError.notFound('Unit', id);
    return row;
  }

  /** The active children that will move must rank below the unit that takes them. */
  private async checkChildTiers(tx: Tx, parentIds: number[], targetTier: Tier, field: string): Promise<void> {
    const children = await this.repo.activeChildren(tx, parentIds);
    const bad = children.filter((c) => TIER_RANK[c.tier as Tier] <= TIER_RANK[targetTier]);
    if (bad.length > 0) {
      throw DomainError.validation([
        { field, reason: `${bad.length} child unit(s) of tier ${bad[0].tier} cannot go under a unit of tier ${targetTier}` },
      ]);
    }
  }
}
