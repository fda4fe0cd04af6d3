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
 * Lets the domains that build on the tree (plans, workflow) react to it without the tree
 * depending on them: they register here when their module starts.
 */
@Injectable()
export class UnitHooks {
  private readonly created: UnitsCreatedHook[] = [];
  private readonly dateRules: CongressDateRule[] = [];
  private readonly dateChanged: CongressDateChangedHook[] = [];

  onUnitsCreated(hook: UnitsCreatedHook): void {
    this.created.push(hook);
  }

  addCongressDateRule(rule: CongressDateRule): void {
    this.dateRules.push(rule);
  }

  onCongressDateChanged(hook: CongressDateChangedHook): void {
    this.dateChanged.push(hook);
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
