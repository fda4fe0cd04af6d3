import { startTestApp, TestApp } from '../setup/test-app';
import { expectError } from '../setup/errors';
import { expiredToken, TEST_JWT_SECRET } from '../factories/tokens';
import { importJson, unitByCode } from '../factories/import';
import { cookieValues, setCookieOf, webLogin, WebSession, withSession } from '../factories/session';

/**
 * The web app's session: the login sets an HttpOnly SameSite=Strict cookie with the token and a
 * CSRF cookie; cookie-authenticated writes must echo the CSRF cookie in x-csrf-token; logout clears
 * both; bearer tokens work as before, without CSRF.
 */
describe('web session: cookie, CSRF, logout', () => {
  let t: TestApp;
  let unitId: number;
  let admin: WebSession;

  beforeAll(async () => {
    t = await startTestApp({ JWT_SECRET: TEST_JWT_SECRET, JWT_EXPIRES_IN: '2h' });
    expect((await importJson(t, [{ code: 'A', name: 'Tỉnh ủy A', tier: 'province', parentCode: '' }])).status).toBe(200);
    unitId = (await unitByCode(t, 'A')).id;
    admin = await webLogin(t, 'admin@test.vn', 'admin-password');
  });
  afterAll(async () => t?.close());

  const rename = (name: string) => ({ body: { name } });

  it('the login sets the session cookie HttpOnly, SameSite=Strict, Path=/, for the token lifetime, and a readable CSRF cookie', async () => {
    const session = setCookieOf(admin.setCookies, 'ct_session');
    expect(session).toMatch(/;\s*HttpOnly/i);
    expect(session).toMatch(/;\s*SameSite=Strict/i);
    expect(session).toMatch(/;\s*Path=\/(;|$)/);
    expect(session).toMatch(/;\s*Max-Age=7200(;|$)/);
    expect(session).not.toMatch(/;\s*Secure/i); // COOKIE_SECURE is off here
    const csrf = setCookieOf(admin.setCookies, 'ct_csrf');
    expect(csrf).not.toMatch(/HttpOnly/i);
    expect(csrf).toMatch(/;\s*SameSite=Strict/i);
    expect(admin.csrf.length).toBeGreaterThanOrEqual(32);
    // The cookie holds the same token the body returns to API clients.
    const body = await t.request('POST', '/api/auth/login', { body: { email: 'admin@test.vn', password: 'admin-password' } });
    expect(cookieValues(body.headers.getSetCookie()).ct_session).toBe(body.body.accessToken);
  });

  it('a cookie-authenticated GET works without the CSRF header; /api/me names the unit', async () => {
    const me = await withSession(t, admin, 'GET', '/api/me');
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({
      email: 'admin@test.vn',
      role: 'admin',
      unitId: t.rootUnitId,
      unit: { id: t.rootUnitId, tier: 'central' },
    });
    expect((await withSession(t, admin, 'GET', `/api/units/${unitId}`)).status).toBe(200);
  });

  it('a cookie-authenticated write without the CSRF header is 403 CSRF_FAILED and changes nothing', async () => {
    expectError(await withSession(t, admin, 'PATCH', `/api/units/${unitId}`, rename('Không được đổi')), 403, 'CSRF_FAILED');
    expectError(
      await withSession(t, admin, 'PATCH', `/api/units/${unitId}`, { ...rename('Không được đổi'), csrf: 'x'.repeat(43) }),
      403,
      'CSRF_FAILED',
    );
    // The header alone is not enough: it must equal the cookie.
    const noCookie = { cookie: `ct_session=${admin.session}` };
    expectError(
      await withSession(t, noCookie, 'PATCH', `/api/units/${unitId}`, { ...rename('Không được đổi'), csrf: admin.csrf }),
      403,
      'CSRF_FAILED',
    );
    const { rows } = await t.db.query(`SELECT name FROM units WHERE id = $1`, [unitId]);
    expect(rows[0].name).toBe('Tỉnh ủy A');
  });

  it("another session's CSRF token does not fit this session", async () => {
    await t.loginAs('admin', t.rootUnitId, 'other.admin@test.vn');
    const other = await webLogin(t, 'other.admin@test.vn', 'password-123');
    expect(other.session).not.toBe(admin.session);
    const mixed = { cookie: `ct_session=${admin.session}; ct_csrf=${other.csrf}` };
    expectError(
      await withSession(t, mixed, 'PATCH', `/api/units/${unitId}`, { ...rename('Không được đổi'), csrf: other.csrf }),
      403,
      'CSRF_FAILED',
    );
  });

  it('with the CSRF header equal to the cookie the write is 200', async () => {
    const res = await withSession(t, admin, 'PATCH', `/api/units/${unitId}`, { ...rename('Tỉnh ủy A mới'), csrf: admin.csrf });
    expect(res.status).toBe(200);
    expect(res.body.name).toBe('Tỉnh ủy A mới');
  });

  it('bearer tokens work as before, writes included, with no CSRF header', async () => {
    expect((await t.request('GET', '/api/me', { token: t.adminToken })).status).toBe(200);
    const res = await t.request('PATCH', `/api/units/${unitId}`, { token: t.adminToken, ...rename('Tỉnh ủy A') });
    expect(res.status).toBe(200);
    // A bad Authorization header is not rescued by a valid cookie.
    expectError(await withSession(t, admin, 'GET', '/api/me', { headers: { authorization: 'Bearer nope' } }), 401, 'UNAUTHENTICATED');
  });

  it('an expired or forged session cookie is 401 UNAUTHENTICATED; no cookie at all too', async () => {
    const me = (await withSession(t, admin, 'GET', '/api/me')).body;
    const expired = { cookie: `ct_session=${expiredToken({ sub: me.id, role: 'admin', unitId: me.unitId })}` };
    expectError(await withSession(t, expired, 'GET', '/api/me'), 401, 'UNAUTHENTICATED');
    expectError(await withSession(t, { cookie: 'ct_session=abc.def.ghi' }, 'GET', '/api/me'), 401, 'UNAUTHENTICATED');
    expectError(await t.request('GET', '/api/me'), 401, 'UNAUTHENTICATED');
  });

  it('logout answers 204 and clears both cookies', async () => {
    const res = await withSession(t, admin, 'POST', '/api/auth/logout');
    expect(res.status).toBe(204);
    const cleared = res.headers.getSetCookie();
    for (const name of ['ct_session', 'ct_csrf']) {
      const c = setCookieOf(cleared, name);
      expect(c.startsWith(`${name}=;`)).toBe(true);
      expect(c).toMatch(/Max-Age=0|Expires=Thu, 01 Jan 1970/i);
      expect(c).toMatch(/;\s*Path=\/(;|$)/);
    }
    // What the browser sends afterwards (no cookie) is refused.
    expectError(await t.request('GET', '/api/me'), 401, 'UNAUTHENTICATED');
  });

  it('the OpenAPI document describes the session and the new error code', async () => {
    const doc = await t.request('GET', '/docs-json');
    expect(doc.status).toBe(200);
    expect(doc.body.components.securitySchemes).toHaveProperty('cookie');
    expect(Object.keys(doc.body.paths)).toEqual(
      expect.arrayContaining(['/api/auth/logout', '/api/work', '/api/approvals', '/api/steps/bulk-actions', '/api/units/{id}/children']),
    );
    // The web app's client is generated from this document: the new answers are fully described.
    const schemas = doc.body.components.schemas;
    expect(Object.keys(schemas.WorkPageDto.properties).sort()).toEqual(['counts', 'items', 'total']);
    expect(schemas.WorkItemDto.properties.urgency.allOf).toEqual([{ $ref: '#/components/schemas/WorkUrgency' }]);
    expect(schemas.WorkUrgency.enum).toEqual(['overdue', 'returned', 'approval', 'due_soon']);
    expect(schemas.WorkStepDto.required).toEqual(expect.arrayContaining(['daysOverdue', 'daysLeft', 'reason', 'version']));
    expect(Object.keys(schemas.ApprovalItemDto.properties)).toEqual(
      expect.arrayContaining(['submittedBy', 'note', 'documentRef', 'version']),
    );
    expect(Object.keys(schemas.ChildUnitDto.properties)).toEqual(expect.arrayContaining(['childrenCount', 'progress', 'step']));
    expect(schemas.BulkActionDto.properties.items.maxItems).toBe(1000);
    expect(Object.keys(schemas.MeDto.properties)).toContain('unit');
    const work = doc.body.paths['/api/work'].get;
    expect(work.responses['200'].content['application/json'].schema.$ref).toBe('#/components/schemas/WorkPageDto');
    expect(work.parameters.map((p: any) => p.name).sort()).toEqual(['page', 'pageSize', 'rootId']);
  });
});

describe('web session behind HTTPS', () => {
  let t: TestApp;
  beforeAll(async () => (t = await startTestApp({ COOKIE_SECURE: 'true' })));
  afterAll(async () => t?.close());

  it('COOKIE_SECURE=true marks both cookies Secure, at login and at logout', async () => {
    const s = await webLogin(t, 'admin@test.vn', 'admin-password');
    for (const name of ['ct_session', 'ct_csrf']) expect(setCookieOf(s.setCookies, name)).toMatch(/;\s*Secure/i);
    const out = await withSession(t, s, 'POST', '/api/auth/logout');
    for (const name of ['ct_session', 'ct_csrf']) expect(setCookieOf(out.headers.getSetCookie(), name)).toMatch(/;\s*Secure/i);
  });
});
