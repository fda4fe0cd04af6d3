import { startTestApp, TestApp } from '../setup/test-app';
import { decodeClaims, expiredToken, signToken, tamperPayload, TEST_JWT_SECRET } from '../factories/tokens';
import { expectError } from '../setup/errors';
import { importJson, unitByCode } from '../factories/import';

const ADMIN = { email: 'admin@test.vn', password: 'admin-password' };

describe('auth and users', () => {
  let t: TestApp;
  let districtId: number;

  beforeAll(async () => {
    t = await startTestApp({ JWT_SECRET: TEST_JWT_SECRET });
    const res = await importJson(t, [
      { code: 'A', name: 'Tỉnh ủy A', tier: 'province', parentCode: '' },
      { code: 'A-1', name: 'Huyện ủy A-1', tier: 'district', parentCode: 'A' },
    ]);
    expect(res.status).toBe(200);
    districtId = (await unitByCode(t, 'A-1')).id;
  });
  afterAll(async () => t?.close());

  describe('POST /api/auth/login', () => {
    it('returns a token and the user', async () => {
      const res = await t.request('POST', '/api/auth/login', { body: ADMIN });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        accessToken: expect.any(String),
        user: { id: expect.any(Number), email: 'admin@test.vn', name: expect.any(String), role: 'admin', unitId: t.rootUnitId },
      });
      expect(res.body.user).not.toHaveProperty('passwordHash');
      expect(decodeClaims(res.body.accessToken)).toMatchObject({ sub: res.body.user.id, role: 'admin', unitId: t.rootUnitId });
      const me = await t.request('GET', '/api/me', { token: res.body.accessToken });
      expect(me.status).toBe(200);
    });

    it('accepts the email in any letter case', async () => {
      const res = await t.request('POST', '/api/auth/login', { body: { ...ADMIN, email: 'Admin@Test.VN' } });
      expect(res.status).toBe(200);
    });

    it('refuses a wrong password with 401 UNAUTHENTICATED', async () => {
      const res = await t.request('POST', '/api/auth/login', { body: { ...ADMIN, password: 'wrong-password' } });
      expectError(res, 401, 'UNAUTHENTICATED');
      expect(res.body).not.toHaveProperty('accessToken');
    });

    it('refuses an unknown email with the same 401', async () => {
      const wrong = await t.request('POST', '/api/auth/login', { body: { ...ADMIN, password: 'wrong-password' } });
      const unknown = await t.request('POST', '/api/auth/login', { body: { email: 'nobody@test.vn', password: 'admin-password' } });
      expectError(unknown, 401, 'UNAUTHENTICATED');
      expect(unknown.body.message).toBe(wrong.body.message);
    });

    it('refuses a malformed login body with 400 VALIDATION_FAILED', async () => {
      const res = await t.request('POST', '/api/auth/login', { body: { email: 'not-an-email' } });
      expectError(res, 400, 'VALIDATION_FAILED');
      expect([...new Set(res.body.details.map((d: any) => d.field))].sort()).toEqual(['email', 'password']);
    });
  });

  describe('bearer tokens', () => {
    let adminId: number;
    beforeAll(async () => (adminId = (await t.request('GET', '/api/me', { token: t.adminToken })).body.id));

    it('GET /api/me returns the caller', async () => {
      const res = await t.request('GET', '/api/me', { token: t.adminToken });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        id: adminId,
        email: 'admin@test.vn',
        name: expect.any(String),
        role: 'admin',
        unitId: t.rootUnitId,
        unit: { id: t.rootUnitId, code: 'TW', name: 'Ban Chấp hành Trung ương', tier: 'central' },
      });
    });

    it('a token signed with the same secret works (the test signs like the API)', async () => {
      const token = signToken({ sub: adminId, role: 'admin', unitId: t.rootUnitId }, TEST_JWT_SECRET);
      expect((await t.request('GET', '/api/me', { token })).status).toBe(200);
    });

    it('refuses a missing token', async () => {
      expectError(await t.request('GET', '/api/me'), 401, 'UNAUTHENTICATED');
      expectError(await t.request('GET', '/api/units'), 401, 'UNAUTHENTICATED');
      expectError(await t.request('GET', '/api/me', { headers: { authorization: `Basic ${t.adminToken}` } }), 401, 'UNAUTHENTICATED');
    });

    it('refuses an expired token', async () => {
      const res = await t.request('GET', '/api/me', { token: expiredToken({ sub: adminId, role: 'admin', unitId: t.rootUnitId }) });
      expectError(res, 401, 'UNAUTHENTICATED');
      expect(res.body.message).toMatch(/expired/i);
    });

    it('refuses a token that expires after it was accepted (a verified token is remembered only until its exp)', async () => {
      const token = signToken({ sub: adminId, role: 'admin', unitId: t.rootUnitId }, TEST_JWT_SECRET, 2);
      expect((await t.request('GET', '/api/me', { token })).status).toBe(200);
      expect((await t.request('GET', '/api/me', { token })).status).toBe(200);
      await new Promise((r) => setTimeout(r, 2100));
      const res = await t.request('GET', '/api/me', { token });
      expectError(res, 401, 'UNAUTHENTICATED');
      expect(res.body.message).toMatch(/expired/i);
    });

    it('refuses a tampered copy of a token it has already accepted', async () => {
      const token = signToken({ sub: adminId, role: 'admin', unitId: t.rootUnitId }, TEST_JWT_SECRET);
      expect((await t.request('GET', '/api/me', { token })).status).toBe(200);
      const forged = tamperPayload(token, (c) => ({ ...c, role: 'admin', sub: c.sub, unitId: c.unitId, x: 1 }));
      expectError(await t.request('GET', '/api/me', { token: forged }), 401, 'UNAUTHENTICATED');
    });

    it('refuses a token signed with another secret', async () => {
      const token = signToken({ sub: adminId, role: 'admin', unitId: t.rootUnitId }, 'some-other-secret-of-enough-length');
      expectError(await t.request('GET', '/api/me', { token }), 401, 'UNAUTHENTICATED');
    });

    it('refuses a token whose payload was tampered with', async () => {
      const viewer = await t.loginAs('viewer', districtId);
      expect((await t.request('GET', '/api/me', { token: viewer })).body.role).toBe('viewer');
      const forged = tamperPayload(viewer, (c) => ({ ...c, sub: adminId, role: 'admin', unitId: t.rootUnitId }));
      expectError(await t.request('GET', '/api/me', { token: forged }), 401, 'UNAUTHENTICATED');
      expectError(await t.request('GET', '/api/users', { token: forged }), 401, 'UNAUTHENTICATED');
    });

    it('refuses garbage and an unsigned (alg none) token', async () => {
      expectError(await t.request('GET', '/api/me', { token: 'not.a.token' }), 401, 'UNAUTHENTICATED');
      const header = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
      const payload = Buffer.from(JSON.stringify({ sub: adminId, role: 'admin', unitId: t.rootUnitId })).toString('base64url');
      expectError(await t.request('GET', '/api/me', { token: `${header}.${payload}.` }), 401, 'UNAUTHENTICATED');
    });

    it('refuses the token of a user that no longer exists', async () => {
      const token = signToken({ sub: 999999, role: 'admin', unitId: t.rootUnitId }, TEST_JWT_SECRET);
      expectError(await t.request('GET', '/api/me', { token }), 401, 'UNAUTHENTICATED');
    });
  });

  describe('users (admin only)', () => {
    const user = { email: 'Editor.A1@Test.vn', name: 'Nguyễn Văn Biên', password: 'mat-khau-123', role: 'editor' };

    it('POST /api/users creates a user who can then log in', async () => {
      const res = await t.request('POST', '/api/users', { token: t.adminToken, body: { ...user, unitId: districtId } });
      expect(res.status).toBe(201);
      expect(res.body).toEqual({ id: expect.any(Number), email: 'editor.a1@test.vn', name: user.name, role: 'editor', unitId: districtId });
      const { rows } = await t.db.query(`SELECT password_hash FROM users WHERE email = 'editor.a1@test.vn'`);
      expect(rows[0].password_hash).toMatch(/^\$argon2id\$/);

      const login = await t.request('POST', '/api/auth/login', { body: { email: user.email, password: user.password } });
      expect(login.status).toBe(200);
      const me = await t.request('GET', '/api/me', { token: login.body.accessToken });
      expect(me.body).toMatchObject({ email: 'editor.a1@test.vn', name: 'Nguyễn Văn Biên', role: 'editor', unitId: districtId });
    });

    it('refuses a duplicate email (any letter case) with 409', async () => {
      const res = await t.request('POST', '/api/users', {
        token: t.adminToken,
        body: { ...user, email: 'EDITOR.a1@test.vn', unitId: t.rootUnitId },
      });
      expectError(res, 409, 'CONFLICT');
      const { rows } = await t.db.query(`SELECT count(*)::int AS n FROM users WHERE email = 'editor.a1@test.vn'`);
      expect(rows[0].n).toBe(1);
    });

    it('refuses a user of a unit that does not exist', async () => {
      const res = await t.request('POST', '/api/users', {
        token: t.adminToken,
        body: { ...user, email: 'ghost@test.vn', unitId: 987654 },
      });
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
      expect(await t.db.query(`SELECT 1 FROM users WHERE email = 'ghost@test.vn'`).then((r) => r.rowCount)).toBe(0);
    });

    it('GET /api/users lists users, filtered by unitId', async () => {
      const all = await t.request('GET', '/api/users', { token: t.adminToken });
      expect(all.status).toBe(200);
      expect(all.body.map((u: any) => u.email)).toEqual(expect.arrayContaining(['admin@test.vn', 'editor.a1@test.vn']));
      for (const u of all.body) expect(u).not.toHaveProperty('passwordHash');

      const ofDistrict = await t.request('GET', `/api/users?unitId=${districtId}`, { token: t.adminToken });
      expect(ofDistrict.status).toBe(200);
      expect(ofDistrict.body.length).toBeGreaterThan(0);
      for (const u of ofDistrict.body) expect(u.unitId).toBe(districtId);
      expect(ofDistrict.body.map((u: any) => u.email)).not.toContain('admin@test.vn');
    });

    it('an editor gets 403 FORBIDDEN_SCOPE on both', async () => {
      const editor = await t.loginAs('editor', t.rootUnitId);
      expectError(await t.request('GET', '/api/users', { token: editor }), 403, 'FORBIDDEN_SCOPE');
      const create = await t.request('POST', '/api/users', {
        token: editor,
        body: { email: 'sneaky@test.vn', name: 'Sneaky', password: 'password-123', role: 'admin', unitId: t.rootUnitId },
      });
      expectError(create, 403, 'FORBIDDEN_SCOPE');
      expect(await t.db.query(`SELECT 1 FROM users WHERE email = 'sneaky@test.vn'`).then((r) => r.rowCount)).toBe(0);
    });

    it('a supervisor is refused too', async () => {
      const supervisor = await t.loginAs('supervisor', t.rootUnitId);
      expectError(await t.request('GET', '/api/users', { token: supervisor }), 403, 'FORBIDDEN_SCOPE');
    });
  });
});
