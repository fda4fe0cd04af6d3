import { TIERS } from './config/env';

export { TIERS };
export type Tier = (typeof TIERS)[number];

/** 0 for central … 4 for cell: a child's rank must be greater than its parent's. */
export const TIER_RANK: Record<Tier, number> = Object.fromEntries(TIERS.map((t, i) => [t, i])) as Record<Tier, number>;

export const ROLES = ['viewer', 'editor', 'supervisor', 'admin'] as const;
export type Role = (typeof ROLES)[number];
export const ROLE_RANK: Record<Role, number> = Object.fromEntries(ROLES.map((r, i) => [r, i])) as Record<Role, number>;
