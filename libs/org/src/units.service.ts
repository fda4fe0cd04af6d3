import { Injectable } from '@nestjs/common';
import { DomainError, TIER_RANK, Transactions } from '@app/core';
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
    committeeName: u.committeeName,
    status: u.status,
    closedOn: u.closedOn,
    successorId: u.successorId,
    childrenCount: u.childrenCount ?? 0,
    parentName: u.parentName ?? null,
  };
}

/** 409 UNIT_CLOSED for a merged or dissolved unit: its record and workflow are read-only. */
export function assertActive(unit: Pick<UnitRow, 'id' | 'status' | 'closedOn'>): void {
  if (unit.status !== 'active') {
    throw new DomainError(
      'UNIT_CLOSED',
      unit.status === 'merged' ? 'Đơn vị đã hợp nhất, chỉ được xem lịch sử' : 'Đơn vị đã giải thể, chỉ được xem lịch sử',
      { unitId: unit.id, status: unit.status, closedOn: unit.closedOn },
    );
  }
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
      status: query.includeClosed ? (query.status ?? null) : (query.status ?? 'active'),
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
      assertActive(parent);
      if (TIER_RANK[dto.tier] <= TIER_RANK[parent.tier]) {
        throw DomainError.validation([{ field: 'tier', reason: `tier ${dto.tier} must be below its parent's tier ${parent.tier}` }]);
      }
      if (await this.units.codeExists(dto.code, tx))
        throw new DomainError('CONFLICT', `A unit with code ${dto.code} already exists`, { field: 'code' });
      const newId = await this.units.insert(
        {
          code: dto.code,
          name: dto.name,
          tier: dto.tier,
          parent,
          contactEmails: (dto.contactEmails ?? []).map((e) => e.toLowerCase()),
          committeeName: dto.committeeName ?? null,
        },
        tx,
      );
      await this.hooks.unitsCreated(tx, [newId]);
      return newId;
    });
    return this.get(id);
  }

  async update(id: number, dto: UpdateUnitDto): Promise<UnitDto> {
    const unit = await this.require(id);
    assertActive(unit);
    if (dto.congressDate) await this.hooks.checkCongressDate(unit, dto.congressDate);
    await this.transactions.run(async (tx) => {
      await this.units.update(
        id,
        {
          name: dto.name,
          contactEmails: dto.contactEmails?.map((e) => e.toLowerCase()),
          congressDate: dto.congressDate,
          committeeName: dto.committeeName,
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
