import { Injectable } from '@nestjs/common';
import { DomainError, ROLE_RANK, type Role, TIER_RANK, Transactions } from '@app/core';
import { CreateUnitDto, ListUnitsQuery, UnitDto, UnitPageDto, UpdateUnitDto } from './dto/unit.dto';
import { UnitHooks } from './unit-hooks';
import { UnitRow, UnitsRepository } from './units.repository';

export function toUnitDto(u: UnitRow): UnitDto {
  return {
    id: u.id,
    code: u.code,
    name: u.name,
    tier: u.tier,
    parentId: u.parentId,
    contactEmails: u.contactEmails,
    congressDate: u.congressDate,
    congressType: u.congressType,
    pilot: u.pilot,
    childrenCount: u.childrenCount ?? 0,
    parentName: u.parentName ?? null,
  };
}

@Injectable()
export class UnitsService {
  constructor(
    private readonly transactions: Transactions,
    private readonly units: UnitsRepository,
    private readonly hooks: UnitHooks,
  ) {}

  async get(id: number): Promise<UnitDto> {
    return toUnitDto(await this.require(id));
  }

  async require(id: number): Promise<UnitRow> {
    const unit = await this.units.findById(id);
    if (!unit) throw DomainError.notFound('Unit', id);
    return unit;
  }

  async list(scopePath: string, query: ListUnitsQuery): Promise<UnitPageDto> {
    const { items, total } = await this.units.list({
      scopePath,
      parentId: query.parentId,
      tier: query.tier,
      q: query.q,
      limit: query.pageSize,
      offset: (query.page - 1) * query.pageSize,
    });
    return { items: items.map(toUnitDto), total };
  }

  async create(dto: CreateUnitDto): Promise<UnitDto> {
    const id = await this.transactions.run(async (tx) => {
      await this.units.lockTree(tx);
      const parent = await this.units.findById(dto.parentId, tx);
      if (!parent) throw DomainError.validation([{ field: 'parentId', reason: `unit ${dto.parentId} does not exist` }]);
      if (TIER_RANK[dto.tier] <= TIER_RANK[parent.tier]) {
        throw DomainError.validation([{ field: 'tier', reason: `tier ${dto.tier} must be below its parent's tier ${parent.tier}` }]);
      }
      if (await this.units.codeExists(dto.code, tx))
        throw new DomainError('CONFLICT', `A unit with code ${dto.code} already exists`, { field: 'code' });
      const newId = await this.units.insert(
        { code: dto.code, name: dto.name, tier: dto.tier, parent, contactEmails: (dto.contactEmails ?? []).map((e) => e.toLowerCase()) },
        tx,
      );
      await this.hooks.unitsCreated(tx, [newId]);
      return newId;
    });
    return this.get(id);
  }

  /** `caller`: who asks (the scope guard has put the unit in their subtree). */
  async update(id: number, dto: UpdateUnitDto, caller: { role: Role; unitId: number }): Promise<UnitDto> {
    const unit = await this.require(id);
    if (dto.congressType !== undefined || dto.pilot !== undefined) assertSuperior(caller, id);
    if (dto.congressDate) await this.hooks.checkCongressDate(unit, dto.congressDate);
    await this.transactions.run(async (tx) => {
      await this.units.update(
        id,
        {
          name: dto.name,
          contactEmails: dto.contactEmails?.map((e) => e.toLowerCase()),
          congressDate: dto.congressDate,
          congressType: dto.congressType,
          pilot: dto.pilot,
        },
        tx,
      );
      if (dto.congressDate !== undefined && dto.congressDate !== unit.congressDate) {
        await this.hooks.congressDateChanged(tx, id);
      }
    });
    return this.get(id);
  }
}

/** The congress format and the pilot flag are the superior's decisions: a supervisor+ of a strict ancestor. */
function assertSuperior(caller: { role: Role; unitId: number }, unitId: number): void {
  if (ROLE_RANK[caller.role] < ROLE_RANK.supervisor) {
    throw new DomainError('FORBIDDEN_SCOPE', 'Only a supervisor or admin of a superior unit decides the congress format and pilots', {
      requiredRole: 'supervisor',
    });
  }
  if (caller.unitId === unitId) {
    throw new DomainError('FORBIDDEN_SCOPE', "The congress format and pilots are decided by the superior, never by the unit's own users", {
      requiredActor: 'superior',
    });
  }
}
