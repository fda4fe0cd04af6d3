import { registeredRoutes } from '../../apps/api/src/http';
import { ROLE_RANK, type Role } from '@app/core';
import { expectError } from '../setup/errors';
import { startTestApp, TestApp } from '../setup/test-app';
import { buildScopeFixture, ROLES, ScopeFixture } from './fixture';

type Side = 'in' | 'out';
type Build = (f: ScopeFixture, side: Side, n: number) => { path: string; body?: unknown };

/**
 * Who may call each write route (API.md "Admin scope" and the route decorators):
 * - unit: `minRole` or higher, on a unit inside the caller's subtree;
 * - root: an admin of the tree's root only; plan: an admin whose subtree holds the plan's root unit;
 * - board: the queue board, admins of the root; public: no token;
 * - items: `minRole` or higher for the request (else 403), then each item checked against the
 *   caller's subtree on its own: an item outside it is refused in its result (`FORBIDDEN_SCOPE`),
 *   never done (POST /api/steps/bulk-actions, API.md);
 * - filtered: `minRole` or higher (else 403); the request acts only on rows of the caller's subtree
 *   by its own filter, so there is no unit to be outside (a notification id outside it is 404).
 */
type Rule =
  | { kind: 'public' }
  | { kind: 'unit'; minRole: Role; build: Build }
  | { kind: 'root'; build: Build }
  | { kind: 'plan'; build: Build }
  | { kind: 'board'; build: Build }
  | { kind: 'items'; minRole: Role; build: Build }
  | { kind: 'filtered'; minRole: Role; build: Build };

const unitOf = (f: ScopeFixture, side: Side) => (side === 'in' ? f.g1 : f.g2);
const parentOf = (f: ScopeFixture, side: Side) => (side === 'in' ? f.d1 : f.d2);
const planOf = (f: ScopeFixture, side: Side) => (side === 'in' ? f.planIn : f.planOut);

/** Every write route of the API needs a line here: a route the app registers without one fails the test. */
const RULES: Record<string, Rule> = {
  'POST /api/auth/login': { kind: 'public' },
  // Clears the session cookies of whoever sends it; it needs no session.
  'POST /api/auth/logout': { kind: 'public' },
  'POST /api/steps/bulk-actions': {
    kind: 'items',
    minRole: 'editor',
    build: (f, side) => ({
      path: '/api/steps/bulk-actions',
      body: { action: 'start', items: [{ unitId: unitOf(f, side), stepNo: 2, expectedVersion: 1 }] },
    }),
  },
  'POST /api/users': {
    kind: 'unit',
    minRole: 'admin',
    build: (f, side, n) => ({
      path: '/api/users',
      body: { email: `matrix${n}@test.vn`, name: 'Người dùng', password: 'mật-khẩu-đủ-dài-9', role: 'viewer', unitId: unitOf(f, side) },
    }),
  },
  'PATCH /api/users/:id': {
    kind: 'unit',
    minRole: 'admin',
    build: (f, side) => ({ path: `/api/users/${side === 'in' ? f.userIn : f.userOut}`, body: { name: 'Tên mới của người dùng' } }),
  },
  'POST /api/units/import': {
    kind: 'unit',
    minRole: 'admin',
    build: (f, side, n) => ({
      path: '/api/units/import',
      body: [{ code: `MX-I${n}`, name: 'Chi bộ', tier: 'cell', parentCode: `SEC-G${side === 'in' ? 1 : 2}` }],
    }),
  },
  'POST /api/units': {
    kind: 'unit',
    minRole: 'admin',
    build: (f, side, n) => ({
      path: '/api/units',
      body: { code: `MX-U${n}`, name: 'Đảng bộ xã', tier: 'grassroots', parentId: parentOf(f, side).id },
    }),
  },
  'PATCH /api/units/:id': {
    kind: 'unit',
    minRole: 'editor',
    build: (f, side) => ({ path: `/api/units/${unitOf(f, side)}`, body: { name: 'Tên mới' } }),
  },
  // Reorganisation: an admin of a strict ancestor of the sources (and whose scope holds the target's parent).
  // The first call in scope closes the unit; later calls in scope answer 409 UNIT_CLOSED, not 403.
  'POST /api/units/merge': {
    kind: 'unit',
    minRole: 'admin',
    build: (f, side, n) => ({
      path: '/api/units/merge',
      body: {
        sourceIds: [unitOf(f, side)],
        into: { code: `MX-M${n}`, name: 'Đảng bộ xã hợp nhất', tier: 'grassroots', parentId: parentOf(f, side).id },
        effectiveOn: '2025-07-01',
        decisionRef: 'Nghị quyết 1656/NQ-UBTVQH15',
      },
    }),
  },
  // A unit's own deadline: a supervisor+ of a strict ancestor (the district's users on its commune g1).
  'PUT /api/units/:id/deadlines/:no': {
    kind: 'unit',
    minRole: 'supervisor',
    build: (f, side) => ({ path: `/api/units/${unitOf(f, side)}/deadlines/3`, body: { dueDate: '2025-05-20', reason: 'Đại hội điểm' } }),
  },
  'DELETE /api/units/:id/deadlines/:no': {
    kind: 'unit',
    minRole: 'supervisor',
    build: (f, side) => ({ path: `/api/units/${unitOf(f, side)}/deadlines/3` }),
  },
  'POST /api/units/:id/dissolve': {
    kind: 'unit',
    minRole: 'admin',
    build: (f, side) => ({
      path: `/api/units/${unitOf(f, side)}/dissolve`,
      body: { effectiveOn: '2025-07-01', decisionRef: 'Kết luận 137-KL/TW' },
    }),
  },
  'POST /api/plans': { kind: 'root', build: (_f, _s, n) => ({ path: '/api/plans', body: { code: `MX-PL${n}`, name: 'Kế hoạch' } }) },
  'PATCH /api/plans/:id': {
    kind: 'plan',
    build: (f, side) => ({ path: `/api/plans/${planOf(f, side)}`, body: { name: 'Kế hoạch đổi tên' } }),
  },
  'POST /api/plans/:id/steps/:no/preview': {
    kind: 'plan',
    build: (f, side) => ({
      path: `/api/plans/${planOf(f, side)}/steps/3/preview`,
      body: { deadlines: { cell: { daysFromCongress: -20, workingDays: true } } },
    }),
  },
  'PATCH /api/plans/:id/steps/:no': {
    kind: 'plan',
    build: (f, side) => ({
      path: `/api/plans/${planOf(f, side)}/steps/3`,
      body: { deadlines: { cell: { daysFromCongress: -20, workingDays: true } } },
    }),
  },
  'POST /api/plans/:id/activate': {
    kind: 'unit',
    minRole: 'admin',
    build: (f, side) => ({ path: `/api/plans/${f.planDraft}/activate`, body: { rootUnitId: unitOf(f, side) } }),
  },
  'PUT /api/holidays/:date': {
    kind: 'root',
    build: (_f, _s, n) => ({ path: `/api/holidays/2031-03-${String((n % 28) + 1).padStart(2, '0')}`, body: { name: 'Ngày nghỉ' } }),
  },
  'DELETE /api/holidays/:date': {
    kind: 'root',
    build: (_f, _s, n) => ({ path: `/api/holidays/2031-03-${String((n % 28) + 1).padStart(2, '0')}` }),
  },
  'POST /api/units/:id/steps/:no/actions': {
    kind: 'unit',
    minRole: 'editor',
    build: (f, side) => ({ path: `/api/units/${unitOf(f, side)}/steps/1/actions`, body: { action: 'start', expectedVersion: 1 } }),
  },
  'PUT /api/units/:id/steps/:no/milestone': {
    kind: 'unit',
    minRole: 'editor',
    build: (f, side) => ({ path: `/api/units/${unitOf(f, side)}/steps/11/milestone`, body: { done: true } }),
  },
  'PUT /api/units/:id/congress': {
    kind: 'unit',
    minRole: 'editor',
    build: (f, side) => ({
      path: `/api/units/${unitOf(f, side)}/congress`,
      body: { heldOn: '2025-06-15', kind: 'members', contents: [1, 2, 3, 4].map((no) => ({ no, status: 'done' })) },
    }),
  },
  'POST /api/notifications/resend': {
    kind: 'filtered',
    minRole: 'admin',
    build: () => ({ path: '/api/notifications/resend', body: { status: 'failed' } }),
  },
  'POST /api/notifications/:id/resend': {
    kind: 'filtered',
    minRole: 'admin',
    build: () => ({ path: '/api/notifications/2000000000/resend' }),
  },
  // A sweep as of another day mails the whole tree again: the root's admins only (without asOf, any admin).
  'POST /api/reminders/sweep': { kind: 'root', build: () => ({ path: '/api/reminders/sweep', body: { asOf: '2025-06-01' } }) },
};

const WRITE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const BOARD = '/admin/queues';

function ruleFor(method: string, url: string): Rule | undefined {
  if (url === BOARD || url.startsWith(`${BOARD}/`)) {
    return { kind: 'board', build: () => ({ path: url.replace(/:queueName/g, 'mail').replace(/:[A-Za-z]+/g, 'x'), body: {} }) };
  }
  return RULES[`${method} ${url}`];
}

describe('authorization matrix: every write route × role × in/out of the caller’s subtree', () => {
  let t: TestApp;
  let f: ScopeFixture;
  beforeAll(async () => {
    t = await startTestApp();
    f = await buildScopeFixture(t);
  }, 120_000);
  afterAll(async () => t?.close());

  const writeRoutes = () =>
    registeredRoutes(t.app)
      .filter((r) => WRITE.has(r.method))
      .sort((a, b) => `${a.url} ${a.method}`.localeCompare(`${b.url} ${b.method}`));

  it('every write route the app registers has a rule in the table', () => {
    const routes = writeRoutes();
    expect(routes.length).toBeGreaterThan(12);
    const missing = routes.filter((r) => !ruleFor(r.method, r.url)).map((r) => `${r.method} ${r.url}`);
    expect(missing).toEqual([]);
    const stale = Object.keys(RULES).filter((key) => !routes.some((r) => `${r.method} ${r.url}` === key));
    expect(stale).toEqual([]);
  });

  it('0 non-403 cross-scope writes; callers in scope with the role pass the scope check', async () => {
    let n = 0;
    const crossScope: string[] = [];
    const wronglyRefused: string[] = [];
    let crossScopeTotal = 0;
    let inScopeTotal = 0;
    const call = async (method: string, build: Build, side: Side, token: string) => {
      const { path, body } = build(f, side, ++n);
      return { path, res: await t.request(method, path, { token, body }) };
    };
    for (const route of writeRoutes()) {
      const rule = ruleFor(route.method, route.url)!;
      if (rule.kind === 'public') continue;
      for (const role of ROLES) {
        const token = f.district[role];
        for (const side of ['in', 'out'] as Side[]) {
          const allowed =
            rule.kind === 'unit' || rule.kind === 'items'
              ? side === 'in' && ROLE_RANK[role] >= ROLE_RANK[rule.minRole]
              : rule.kind === 'filtered'
                ? ROLE_RANK[role] >= ROLE_RANK[rule.minRole]
                : rule.kind === 'plan'
                  ? side === 'in' && role === 'admin'
                  : false;
          const { path, res } = await call(route.method, rule.build, side, token);
          const label = `${route.method} ${path} as district ${role} (${side})`;
          expect(res.status).toBeLessThan(500);
          if (rule.kind === 'items' && ROLE_RANK[role] >= ROLE_RANK[rule.minRole]) {
            // The request passes the role check; each item is judged against the caller's subtree.
            expect(res.status).toBe(200);
            const results = (res.body as { results: { ok: boolean; code?: string }[] }).results;
            expect(results).toHaveLength(1);
            if (side === 'in') {
              inScopeTotal++;
              if (results[0].code === 'FORBIDDEN_SCOPE') wronglyRefused.push(`${label} → item ${results[0].code}`);
            } else {
              crossScopeTotal++;
              if (results[0].ok || results[0].code !== 'FORBIDDEN_SCOPE') crossScope.push(`${label} → item ${JSON.stringify(results[0])}`);
            }
            continue;
          }
          if (allowed) {
            inScopeTotal++;
            if (res.status === 403 || res.status === 401) wronglyRefused.push(`${label} → ${res.status} ${res.body?.code}`);
          } else {
            crossScopeTotal++;
            if (res.status !== 403) crossScope.push(`${label} → ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`);
            else expectError(res, 403, 'FORBIDDEN_SCOPE');
          }
        }
      }
      // The root's admin may do all of it, everywhere.
      for (const side of ['in', 'out'] as Side[]) {
        const { path, res } = await call(route.method, rule.build, side, t.adminToken);
        expect(res.status).toBeLessThan(500);
        if (res.status === 403 || res.status === 401) wronglyRefused.push(`${route.method} ${path} as root admin → ${res.status}`);
        const item = rule.kind === 'items' ? (res.body as { results?: { code?: string }[] }).results?.[0] : undefined;
        if (item?.code === 'FORBIDDEN_SCOPE') wronglyRefused.push(`${route.method} ${path} as root admin → item FORBIDDEN_SCOPE`);
      }
    }
    console.log(
      `authorization matrix: ${crossScopeTotal} refused-by-rule requests, ${crossScope.length} not 403; ${inScopeTotal} in-scope requests`,
    );
    expect(crossScope).toEqual([]);
    expect(wronglyRefused).toEqual([]);
  }, 120_000);

  it("the web app's reads (work, approvals, children) answer inside the caller's subtree and refuse outside it", async () => {
    const reads = (side: Side) => [
      `/api/work?rootId=${unitOf(f, side)}`,
      `/api/approvals?rootId=${unitOf(f, side)}`,
      `/api/units/${parentOf(f, side).id}/children`,
    ];
    for (const role of ROLES) {
      for (const path of reads('in'))
        expect([role, path, (await t.request('GET', path, { token: f.district[role] })).status]).toEqual([role, path, 200]);
      for (const path of reads('out')) expectError(await t.request('GET', path, { token: f.district[role] }), 403, 'FORBIDDEN_SCOPE');
    }
    for (const path of [...reads('in'), ...reads('out')]) expect((await t.request('GET', path, { token: t.adminToken })).status).toBe(200);
    for (const path of reads('in')) expectError(await t.request('GET', path), 401, 'UNAUTHENTICATED');
  });

  it('a district admin may still run the sweep for today (no asOf), and never reaches the board', async () => {
    expect((await t.request('POST', '/api/reminders/sweep', { token: f.district.admin, body: {} })).status).toBe(200);
    expectError(await t.request('GET', '/admin/queues/api/queues', { token: f.district.admin }), 403, 'FORBIDDEN_SCOPE');
  });
});
