import type { Role } from '@app/core';

/** The caller, loaded on every request: role and unit scope as they are now, not as at login. */
export interface AuthUser {
  id: number;
  email: string;
  name: string;
  role: Role;
  unitId: number;
  /** Path of the user's unit: the scope is every unit whose path starts with it. */
  unitPath: string;
}

export interface TokenClaims {
  sub: number;
  role: Role;
  unitId: number;
}
