import { Injectable } from '@nestjs/common';
import type { AuthUser } from '@app/auth';
import { DomainError, Transactions } from '@app/core';
import { assertActive, UnitsRepository } from '@app/org';
import { UnitDeadlineDto, UnitDeadlineResultDto } from './dto/unit-deadline.dto';
import { PlansRepository } from './plans.repository';

/**
 * A unit's own deadline for one step (API.md "Reorganisation"): a new commune's compressed schedule,
 * a pilot congress. Set by a supervisor or admin of a strict ancestor (never the unit's own staff);
 * recomputations from the plan's rules (congress date, plan edits, holidays) leave it alone.
 */
@Injectable()
export class UnitDeadlinesService {
  constructor(
    private readonly transactions: Transactions,
    private readonly plans: PlansRepository,
    private readonly units: UnitsRepository,
  ) {}

  async set(unitId: number, no: number, dto: UnitDeadlineDto, user: AuthUser): Promise<UnitDeadlineResultDto> {
    await this.checkCaller(unitId, user);
    const found = await this.transactions.run((tx) => this.plans.setUnitDeadline(unitId, no, dto.dueDate, dto.reason.trim(), user.id, tx));
    if (!found) throw new DomainError('NOT_FOUND', `Unit ${unitId} has no step ${no}`, { unitId, stepNo: no });
    return this.get(unitId, no);
  }

  async clear(unitId: number, no: number, user: AuthUser): Promise<UnitDeadlineResultDto> {
    await this.checkCaller(unitId, user);
    const found = await this.transactions.run((tx) => this.plans.clearUnitDeadline(unitId, no, tx));
    if (!found) throw new DomainError('NOT_FOUND', `Unit ${unitId} has no own deadline for step ${no}`, { unitId, stepNo: no });
    return this.get(unitId, no);
  }

  /** The unit's due date for one step and where it comes from. */
  async get(unitId: number, no: number): Promise<UnitDeadlineResultDto> {
    const row = await this.plans.unitDeadline(unitId, no);
    if (!row) throw new DomainError('NOT_FOUND', `Unit ${unitId} has no step ${no}`, { unitId, stepNo: no });
    return { unitId, stepNo: no, dueDate: row.dueDate, dueDateSource: row.source, reason: row.reason };
  }

  /** The guard checked the role and that the unit is in scope; here: strictly below the caller's unit, and active. */
  private async checkCaller(unitId: number, user: AuthUser): Promise<void> {
    const unit = await this.units.findById(unitId);
    if (!unit) throw DomainError.notFound('Unit', unitId);
    if (unit.path === user.unitPath) {
      throw new DomainError('FORBIDDEN_SCOPE', 'A unit’s own deadlines are set by a superior unit, not by the unit itself', { unitId });
    }
    assertActive(unit);
  }
}
