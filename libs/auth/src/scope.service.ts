import { Injectable } from '@nestjs/common';
import { DomainError, ROLE_RANK, Role } from '@app/core';
import { UnitsRepository } from '@app/org';
import type { AuthUser } from './auth-user';

/** Who may touch which unit: the caller's unit and everything below it. */
@Injectable()
export class ScopeService {
  constructor(private readonly units: UnitsRepository) {}

  /** Throws NOT_FOUND for a missing unit and FORBIDDEN_SCOPE for one outside the caller's subtree; returns its path. */
  async assertInScope(user: AuthUser, unitId: number): Promise<string> {
    return this.assertPathInScope(user, unitId, await this.units.pathOf(unitId));
  }

  /** As assertInScope, with the unit's path already read (null: no such unit). */
  assertPathInScope(user: AuthUser, unitId: number, path: string | null): string {
    if (path === null) throw DomainError.notFound('Unit', unitId);
    if (!path.startsWith(user.unitPath)) {
      throw new DomainError('FORBIDDEN_SCOPE', `Unit ${unitId} is outside your unit's subtree`, { unitId });
    }
    return path;
  }

  assertRole(user: AuthUser, minRole: Role): void {
    if (ROLE_RANK[user.role] < ROLE_RANK[minRole]) {
      throw new DomainError('FORBIDDEN_SCOPE', `This needs the ${minRole} role or higher`, { requiredRole: minRole, role: user.role });
    }
  }
}
