import { Injectable } from '@nestjs/common';
import { DomainError, ROLE_RANK, Role } from '@app/core';
import type { AuthUser } from './auth-user';

/** Who may touch which unit: the caller's unit and everything below it. */
@Injectable()
export class ScopeService {
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

  assertRole(user: AuthUser, minRole: Role): void {
    if (ROLE_RANK[user.role] < ROLE_RANK[minRole]) {
      throw new DomainError('FORBIDDEN_SCOPE', `This needs the ${minRole} role or higher`, { requiredRole: minRole, role: user.role });
    }
  }
}
