import { Injectable } from '@nestjs/common';
import type { Tx } from '@app/core';
import type { UnitRow } from './units.repository';

/** Called inside the transaction that created units, e.g. to give them the steps of an active plan. */
export type UnitsCreatedHook = (manager: Tx, unitIds: number[]) => Promise<void>;
/** Refuses a congress date (throws a DomainError naming `field`), e.g. outside the tier's congress window. */
export type CongressDateRule = (unit: UnitRow, date: string, field: string) => Promise<void>;
/** Called inside the transaction that changed a unit's congress date, e.g. to recompute due dates. */
export type CongressDateChangedHook = (manager: Tx, unitId: number) => Promise<void>;
/**
 * Called inside the transaction that moved units or changed their tier (import, PATCH parentId, the
 * children moved by a merge or dissolution), after the write, with the units that moved (their
 * subtrees moved with them): gives their subtrees the plan steps of where they are now, recomputes
 * what depends on the tier (due dates of open steps) and returns the
 * units whose congress date no longer lies in their tier's window, so that the caller refuses the
 * change (the transaction rolls back).
 */
export type UnitsReshapedHook = (manager: Tx, unitIds: number[], options: ReshapeOptions) => Promise<CongressDateProblem[]>;
/** `sameTier`: the units only moved (a merge or dissolution moves children as they are): due dates of their tier stand. */
export interface ReshapeOptions {
  sameTier?: boolean;
}
/**
 * Called inside a merge's transaction once the target is known and before the children move
 * (`created`: the merge created the target), e.g. so that a plan rooted at a merged unit follows it.
 */
export type UnitsMergedHook = (manager: Tx, sourceIds: number[], targetId: number, created: boolean) => Promise<void>;
export interface CongressDateProblem {
  unitId: number;
  reason: string;
}

/**
 * Lets the domains that build on the tree (plans, workflow) react to it without the tree
 * depending on them: they register here when their module starts.
 */
@Injectable()
export class UnitHooks {
  private readonly created: UnitsCreatedHook[] = [];
  private readonly dateRules: CongressDateRule[] = [];
  private readonly dateChanged: CongressDateChangedHook[] = [];
  private readonly reshaped: UnitsReshapedHook[] = [];
  private readonly merged: UnitsMergedHook[] = [];

  onUnitsMerged(hook: UnitsMergedHook): void {
    this.merged.push(hook);
  }

  async unitsMerged(manager: Tx, sourceIds: number[], targetId: number, created: boolean): Promise<void> {
    for (const hook of this.merged) await hook(manager, sourceIds, targetId, created);
  }

  onUnitsCreated(hook: UnitsCreatedHook): void {
    this.created.push(hook);
  }

  addCongressDateRule(rule: CongressDateRule): void {
    this.dateRules.push(rule);
  }

  onCongressDateChanged(hook: CongressDateChangedHook): void {
    this.dateChanged.push(hook);
  }

  onUnitsReshaped(hook: UnitsReshapedHook): void {
    this.reshaped.push(hook);
  }

  /** Units moved or re-tiered inside `manager`'s transaction: their congress dates that no longer fit. */
  async unitsReshaped(manager: Tx, unitIds: number[], options: ReshapeOptions = {}): Promise<CongressDateProblem[]> {
    if (unitIds.length === 0) return [];
    const problems: CongressDateProblem[] = [];
    for (const hook of this.reshaped) problems.push(...(await hook(manager, unitIds, options)));
    return problems;
  }

  async unitsCreated(manager: Tx, unitIds: number[]): Promise<void> {
    if (unitIds.length === 0) return;
    for (const hook of this.created) await hook(manager, unitIds);
  }

  /** `field`: the request field the refusal names (`congressDate`, or a record's `heldOn`). */
  async checkCongressDate(unit: UnitRow, date: string, field = 'congressDate'): Promise<void> {
    for (const rule of this.dateRules) await rule(unit, date, field);
  }

  async congressDateChanged(manager: Tx, unitId: number): Promise<void> {
    for (const hook of this.dateChanged) await hook(manager, unitId);
  }
}
