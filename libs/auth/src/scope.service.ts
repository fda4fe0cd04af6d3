import { Injectable } from '@nestjs/common';
import { DomainError, ROLE_RANK, Role } from '@app/core';
import { UnitsRepository } from '@app/org';
import type { AuthUser } from './auth-user';

/** Who may touch which unit: the caller's unit and everything below it. */
@Injectable()
export class ScopeService {
  /** The root's path never changes once created: read once. */
  private rootPath: string | null | undefined;

  constructor(private readonly units: UnitsRepository) {}

  /**
   * Throws NOT_FOUND for a missing unit (path null) and FORBIDDEN_SCOPE for one outside the
   * caller's subtree; returns its path.
   */
  assertPathInScope(user: AuthUser, unitId: number, path: string | null): string {
    if (path === null) throw DomainError.notFound('Unit', unitId);
    if (!path.startsWith(user.unitPath)) {
      throw new DomainError('FORBIDDEN_SCOPE', `Unit ${unitId} is outside your unit's subtree`, { unitId });
    }
    return path;
  }

  /** An admin bound to the tree's root unit (the only unit without a parent). */
  async assertRootAdmin(user: AuthUser, what = 'This operation'): Promise<void> {
    this.assertRole(user, 'admin');
    this.rootPath ??= (await this.units.findRoot())?.path ?? null;
    if (user.unitPath !== this.rootPath) {
      throw new DomainError('FORBIDDEN_SCOPE', `${what} reaches beyond your unit's subtree: only an admin of the root unit may do it`, {
        requiredRole: 'admin',
        requiredUnit: 'root',
      });
    }
  }

  /** An admin whose subtree holds `unitPath` (e.g. a plan's root unit); the root's admins hold every path. */
  async assertAdminOver(user: AuthUser, unitPath: string | null, what: string): Promise<void> {
    this.assertRole(user, 'admin');
    if (unitPath !== null && unitPath.startsWith(user.unitPath)) return;
    await this.assertRootAdmin(user, what);
  }

  assertRole(user: AuthUser, minRole: Role): void {
    if (ROLE_RANK[user.role] < ROLE_RANK[minRole]) {
      throw new DomainError('FORBIDDEN_SCOPE', `This needs the ${minRole} role or higher`, { requiredRole: minRole, role: user.role });
    }
  }
}
