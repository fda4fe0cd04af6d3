import { Injectable } from '@nestjs/common';
import { Clock, DomainError, ROLE_RANK } from '@app/core';
import type { AuthUser } from '@app/auth';
import { escapeLike, UnitRow, UnitsRepository } from '@app/org';
import { ChildrenRepository } from './children.repository';
import { ChildrenPageDto, ChildrenQuery } from './dto/children.dto';
import { ApprovalPageDto, ApprovalsQuery, WorkPageDto, WorkQuery } from './dto/work.dto';
import { WorkRepository } from './work.repository';

/** A step due within this many days (today included) is "due soon". */
export const DUE_SOON_DAYS = 7;

/** "Việc cần làm" and "Chờ phê duyệt": what needs the caller in a subtree, most urgent first. */
@Injectable()
export class WorkService {
  constructor(
    private readonly repo: WorkRepository,
    private readonly childrenRepo: ChildrenRepository,
    private readonly units: UnitsRepository,
    private readonly clock: Clock,
  ) {}

  async work(user: AuthUser, query: WorkQuery): Promise<WorkPageDto> {
    const root = await this.root(user, query.rootId);
    const today = this.clock.today();
    const { total, counts, items } = await this.repo.workPage({
      wholeTree: root.parentId === null,
      scopePath: root.path,
      today,
      soon: addDays(today, DUE_SOON_DAYS),
      mayApprove: mayApprove(user),
      callerUnitId: user.unitId,
      limit: query.pageSize,
      offset: (query.page - 1) * query.pageSize,
    });
    return { items, total, counts };
  }

  /**
   * Submissions the caller may approve: supervisor+, units strictly below the caller's own. The
   * root's own submissions are never among them (nobody in the tree is above the root); with
   * `outside=true` an admin of the root gets those instead: they await the outside decision the admin
   * records (approve or return with documentRef).
   */
  async approvals(user: AuthUser, query: ApprovalsQuery): Promise<ApprovalPageDto> {
    const root = await this.root(user, query.rootId);
    if (query.outside) {
      const own = await this.units.findById(user.unitId);
      if (user.role !== 'admin' || !own || own.parentId !== null) return { items: [], total: 0 };
      return this.repo.outsideApprovalsPage({ rootId: own.id, limit: query.pageSize, offset: (query.page - 1) * query.pageSize });
    }
    if (!mayApprove(user)) return { items: [], total: 0 };
    return this.repo.approvalsPage({
      scopePath: root.path,
      callerUnitId: user.unitId,
      limit: query.pageSize,
      offset: (query.page - 1) * query.pageSize,
    });
  }

  /** The direct children of a unit (in the caller's scope: the guard checked it) with their progress. */
  async children(unitId: number, query: ChildrenQuery): Promise<ChildrenPageDto> {
    if (query.status !== undefined && query.stepNo === undefined) {
      throw DomainError.validation([{ field: 'status', reason: 'status filters on a step: give stepNo too' }]);
    }
    const search = query.q?.trim().replace(/\s+/g, ' ');
    return this.childrenRepo.page({
      parentId: unitId,
      stepNo: query.stepNo ?? null,
      status: query.status ?? null,
      search: search ? escapeLike(search) : null,
      today: this.clock.today(),
      limit: query.pageSize,
      offset: (query.page - 1) * query.pageSize,
      includeClosed: query.includeClosed ?? false,
    });
  }

  private async root(user: AuthUser, rootId?: number): Promise<UnitRow> {
    const root = await this.units.findById(rootId ?? user.unitId);
    if (!root) throw DomainError.notFound('Unit', rootId);
    // Again here, not only in the guard: the guard skips ids it cannot parse.
    if (!root.path.startsWith(user.unitPath)) {
      throw new DomainError('FORBIDDEN_SCOPE', `Unit ${root.id} is outside your unit's subtree`, { unitId: root.id });
    }
    return root;
  }
}

function mayApprove(user: AuthUser): boolean {
  return ROLE_RANK[user.role] >= ROLE_RANK.supervisor;
}

function addDays(day: string, days: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}
