import type { Role } from '@app/core';
import { createUnit } from '../factories/tree';
import type { ApiResponse, TestApp } from '../setup/test-app';

/** What the fixture needs of an API under test: the in-process TestApp or the built API (dist-api.ts). */
export type FixtureHost = Pick<TestApp, 'request' | 'adminToken' | 'rootUnitId' | 'loginAs'>;
export type { ApiResponse };

export const ROLES: Role[] = ['viewer', 'editor', 'supervisor', 'admin'];

/**
 * Two disjoint subtrees under the root: P1 > D1 > G1 (the district users' own) and P2 > D2 > G2
 * (someone else's); a plan activated on each district, a draft plan; a user of every role at D1.
 */
export interface ScopeFixture {
  root: number;
  d1: { id: number; code: string };
  g1: number;
  d2: { id: number; code: string };
  g2: number;
  planIn: number;
  planOut: number;
  planDraft: number;
  /** Tokens of the users bound to D1, by role. */
  district: Record<Role, string>;
  /** Ids of a viewer bound to G1 (inside D1's subtree) and one bound to G2 (outside it). */
  userIn: number;
  userOut: number;
}

export async function buildScopeFixture(t: FixtureHost): Promise<ScopeFixture> {
  const p1 = await createUnit(t, { code: 'SEC-P1', tier: 'province', parentId: t.rootUnitId });
  const d1 = await createUnit(t, { code: 'SEC-D1', tier: 'district', parentId: p1.id });
  const g1 = await createUnit(t, { code: 'SEC-G1', tier: 'grassroots', parentId: d1.id });
  const p2 = await createUnit(t, { code: 'SEC-P2', tier: 'province', parentId: t.rootUnitId });
  const d2 = await createUnit(t, { code: 'SEC-D2', tier: 'district', parentId: p2.id });
  const g2 = await createUnit(t, { code: 'SEC-G2', tier: 'grassroots', parentId: d2.id });
  const plan = async (code: string, activateOn?: number): Promise<number> => {
    const created = await t.request('POST', '/api/plans', { token: t.adminToken, body: { code, name: `Kế hoạch ${code}` } });
    if (created.status !== 201) throw new Error(`plan ${code}: ${created.status} ${JSON.stringify(created.body)}`);
    if (activateOn !== undefined) {
      const res = await t.request('POST', `/api/plans/${created.body.id}/activate`, {
        token: t.adminToken,
        body: { rootUnitId: activateOn },
      });
      if (res.status !== 200) throw new Error(`activate ${code}: ${res.status} ${JSON.stringify(res.body)}`);
    }
    return created.body.id;
  };
  const district = {} as Record<Role, string>;
  for (const role of ROLES) district[role] = await t.loginAs(role, d1.id);
  const user = async (code: string, unitId: number): Promise<number> => {
    const res = await t.request('POST', '/api/users', {
      token: t.adminToken,
      body: { email: `sec-${code}@test.vn`, name: `Người dùng ${code}`, password: 'mật-khẩu-đủ-dài-9', role: 'viewer', unitId },
    });
    if (res.status !== 201) throw new Error(`user ${code}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.id;
  };
  return {
    root: t.rootUnitId,
    d1,
    g1: g1.id,
    d2,
    g2: g2.id,
    planIn: await plan('SEC-IN', d1.id),
    planOut: await plan('SEC-OUT', d2.id),
    planDraft: await plan('SEC-DRAFT'),
    district,
    userIn: await user('g1', g1.id),
    userOut: await user('g2', g2.id),
  };
}
