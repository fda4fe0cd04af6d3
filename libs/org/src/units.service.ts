import { Injectable } from '@nestjs/common';
import { DomainError, ROLE_RANK, type Role, TIER_RANK, Transactions, type Tx } from '@app/core';
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

  /** `actor`: who asks (the scope guard has put the unit in their subtree). */
  async update(id: number, dto: UpdateUnitDto, actor: UnitActor): Promise<UnitDto> {
    const unit = await this.require(id);
    assertActive(unit);
    if (dto.congressType !== undefined || dto.pilot !== undefined) assertSuperior(actor, id);
    if (dto.congressDate) await this.hooks.checkCongressDate(unit, dto.congressDate);
    const moving = dto.parentId !== undefined && dto.parentId !== unit.parentId;
    await this.transactions.run(async (tx) => {
      await this.units.update(
        id,
        {
          name: dto.name,
          contactEmails: dto.contactEmails?.map((e) => e.toLowerCase()),
          congressDate: dto.congressDate,
          congressType: dto.congressType,
          pilot: dto.pilot,
          committeeName: dto.committeeName,
        },
        tx,
      );
      if (dto.congressDate !== undefined && dto.congressDate !== unit.congressDate) {
        await this.hooks.congressDateChanged(tx, id);
      }
      if (moving) await this.move(tx, id, dto.parentId!, actor);
    });
    return this.get(id);
  }

  /**
   * PATCH {parentId}: the unit and its subtree go under another parent, in the transaction `tx`.
   * Who: an admin whose subtree holds the unit strictly (a unit does not re-parent itself) and the
   * new parent. Refused: the root (400), a parent inside the unit's own subtree (409 CONFLICT), a
   * parent whose tier is not above the unit's (400), a congress date outside the tier's window
   * after the move (400; the admin changes or clears it first). Due dates of the unit's open steps
   * are recomputed; every progress counter follows (trigger step_counts_on_unit_move).
   */
  private async move(tx: Tx, id: number, parentId: number, actor: UnitActor): Promise<void> {
    if (ROLE_RANK[actor.role] < ROLE_RANK.admin) {
      throw new DomainError('FORBIDDEN_SCOPE', 'Chỉ quản trị viên mới được chuyển đơn vị sang đơn vị cấp trên khác', {
        requiredRole: 'admin',
        role: actor.role,
      });
    }
    await this.units.lockTree(tx);
    const unit = await this.units.findById(id, tx);
    if (!unit) throw DomainError.notFound('Unit', id);
    if (unit.parentId === null) {
      throw DomainError.validation([{ field: 'parentId', reason: 'đơn vị gốc không có đơn vị cấp trên' }], 'Không thể chuyển đơn vị gốc');
    }
    if (!unit.path.startsWith(actor.unitPath) || unit.path === actor.unitPath) {
      throw new DomainError('FORBIDDEN_SCOPE', `Đơn vị ${unit.code} không thuộc phạm vi quản lý của cấp trên của bạn`, { unitId: id });
    }
    const parent = await this.units.findById(parentId, tx);
    if (!parent) throw DomainError.validation([{ field: 'parentId', reason: `đơn vị ${parentId} không tồn tại` }]);
    if (!parent.path.startsWith(actor.unitPath)) {
      throw new DomainError('FORBIDDEN_SCOPE', `Đơn vị ${parent.code} nằm ngoài phạm vi đơn vị của bạn`, { unitId: parentId });
    }
    if (parent.path.startsWith(unit.path)) {
      throw new DomainError(
        'CONFLICT',
        `Không thể chuyển ${unit.code} vào ${parent.code}: ${parent.code} thuộc chính cây đơn vị của ${unit.code} (vòng lặp cấp trên)`,
        { field: 'parentId', reason: 'cycle', unitId: id, parentId },
      );
    }
    if (TIER_RANK[unit.tier] <= TIER_RANK[parent.tier]) {
      throw DomainError.validation(
        [
          {
            field: 'parentId',
            reason: `cấp ${unit.tier} của ${unit.code} phải thấp hơn cấp ${parent.tier} của đơn vị cấp trên ${parent.code}`,
          },
        ],
        'Sai thứ tự cấp',
      );
    }
    await this.units.move(unit, parent, tx);
    const problems = await this.hooks.unitsReshaped(tx, [id]);
    if (problems.length > 0) {
      throw DomainError.validation(
        problems.map((p) => ({ field: 'congressDate', reason: p.reason })),
        'Ngày đại hội không còn phù hợp với cấp sau khi chuyển',
      );
    }
  }
}

/** Who asks for a change that needs a role and a scope (PATCH parentId). */
export interface UnitActor {
  role: Role;
  unitId: number;
  unitPath: string;
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
