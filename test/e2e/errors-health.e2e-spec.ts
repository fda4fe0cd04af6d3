import { ApiResponse, startTestApp, TestApp } from '../setup/test-app';
import { expectError, expectNoStack } from '../setup/errors';
import { startOwnRedis, OwnRedis } from '../setup/own-redis';
import { importJson, unitCount } from '../factories/import';

describe('error shape, health and docs', () => {
  let t: TestApp;
  beforeAll(async () => (t = await startTestApp()));
  afterAll(async () => t?.close());

  describe('validation errors', () => {
    it('POST /api/users lists every bad field in details', async () => {
      const res = await t.request('POST', '/api/users', {
        token: t.adminToken,
        body: { email: 'not-an-email', name: '', password: 'short', role: 'boss', unitId: 'one' },
      });
      expectError(res, 400, 'VALIDATION_FAILED');
      for (const d of res.body.details) expect(d).toEqual({ field: expect.any(String), reason: expect.any(String) });
      expect([...new Set(res.body.details.map((d: any) => d.field))].sort()).toEqual(['email', 'name', 'password', 'role', 'unitId']);
    });

    it('refuses an unknown field', async () => {
      const res = await t.request('POST', '/api/users', {
        token: t.adminToken,
        body: { email: 'new@test.vn', name: 'New', password: 'password-123', role: 'viewer', unitId: t.rootUnitId, isSuperuser: true },
      });
      expectError(res, 400, 'VALIDATION_FAILED');
      expect(res.body.details).toEqual([{ field: 'isSuperuser', reason: expect.stringContaining('should not exist') }]);
      expect(await t.db.query(`SELECT 1 FROM users WHERE email = 'new@test.vn'`).then((r) => r.rowCount)).toBe(0);

      const patch = await t.request('PATCH', `/api/units/${t.rootUnitId}`, { token: t.adminToken, body: { code: 'NEW' } });
      expectError(patch, 400, 'VALIDATION_FAILED');
      expect(patch.body.details).toEqual([expect.objectContaining({ field: 'code' })]);
    });

    it('validates query strings and path parameters', async () => {
      const query = await t.request('GET', '/api/units?pageSize=1000&tier=planet', { token: t.adminToken });
      expectError(query, 400, 'VALIDATION_FAILED');
      expect([...new Set(query.body.details.map((d: any) => d.field))].sort()).toEqual(['pageSize', 'tier']);
      expectError(await t.request('GET', '/api/units/abc', { token: t.adminToken }), 400, 'VALIDATION_FAILED');
    });

    it('PATCH refuses a congress date that is not YYYY-MM-DD', async () => {
      const res = await t.request('PATCH', `/api/units/${t.rootUnitId}`, { token: t.adminToken, body: { congressDate: '31/12/2025' } });
      expectError(res, 400, 'VALIDATION_FAILED');
      expect(res.body.details).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'congressDate' })]));
    });
  });

  describe('transport errors', () => {
    it('an unknown route is 404 NOT_FOUND in the error shape, with or without a token', async () => {
      expectError(await t.request('GET', '/api/no-such-thing', { token: t.adminToken }), 404, 'NOT_FOUND');
      expectError(await t.request('GET', '/no-such-thing'), 404, 'NOT_FOUND');
      expectError(await t.request('POST', '/api/units/1/nothing', { token: t.adminToken, body: {} }), 404, 'NOT_FOUND');
    });

    it('a unit that does not exist is 404 NOT_FOUND', async () => {
      expectError(await t.request('GET', '/api/units/2147483000', { token: t.adminToken }), 404, 'NOT_FOUND');
    });

    it('malformed JSON is 400 in the error shape', async () => {
      const res = await t.request('POST', '/api/auth/login', {
        raw: '{"email": "admin@test.vn", ',
        headers: { 'content-type': 'application/json' },
      });
      expectError(res, 400, 'VALIDATION_FAILED');
      const auth = await t.request('POST', '/api/users', {
        token: t.adminToken,
        raw: '{not json}',
        headers: { 'content-type': 'application/json' },
      });
      expectError(auth, 400, 'VALIDATION_FAILED');
    });

    it('a body over 1 MB to /api/auth/login is 413 in the error shape', async () => {
      const raw = JSON.stringify({ email: 'admin@test.vn', password: 'x'.repeat(1024 * 1024 + 10) });
      const res = await t.request('POST', '/api/auth/login', { raw, headers: { 'content-type': 'application/json' } });
      expectError(res, 413, 'PAYLOAD_TOO_LARGE');
    });

    it('the import route alone takes bodies above 1 MB', async () => {
      const long = 'Đảng ủy xã '.repeat(25);
      const rows = [{ code: 'BIG', name: 'Tỉnh ủy lớn', tier: 'province', parentCode: '' }];
      for (let i = 0; i < 3000; i++)
        rows.push({ code: `BIG-${i}`, name: `${long}${i}`.slice(0, 300), tier: 'district', parentCode: 'BIG' });
      expect(Buffer.byteLength(JSON.stringify(rows))).toBeGreaterThan(1024 * 1024);
      const before = await unitCount(t);
      const res = await importJson(t, rows);
      expect(res.body).toEqual({ created: 3001, updated: 0, unchanged: 0 });
      expect(await unitCount(t)).toBe(before + 3001);
    });

    it('never sends a stack trace', async () => {
      const responses = await Promise.all([
        t.request('GET', '/api/units/abc', { token: t.adminToken }),
        t.request('POST', '/api/units/import', { token: t.adminToken, raw: '[{', headers: { 'content-type': 'application/json' } }),
        t.request('GET', '/api/me', { token: 'x.y.z' }),
        t.request('POST', '/api/units', { token: t.adminToken, body: { code: 'X', name: 'X', tier: 'cell', parentId: 2147483647 } }),
      ]);
      for (const res of responses) {
        expect(res.status).toBeGreaterThanOrEqual(400);
        expect(res.status).toBeLessThan(500);
        expectNoStack(res);
      }
    });
  });

  describe('GET /docs-json', () => {
    it('returns an OpenAPI document listing the import', async () => {
      const res = await t.request('GET', '/docs-json');
      expect(res.status).toBe(200);
      expect(res.body.openapi).toMatch(/^3\./);
      expect(res.body.paths['/api/units/import']).toHaveProperty('post');
      expect(res.body.paths['/api/auth/login']).toHaveProperty('post');
      expect(res.body.paths['/api/units/{id}']).toEqual(expect.objectContaining({ get: expect.anything(), patch: expect.anything() }));
    });
  });

  describe('GET /health', () => {
    it('is 200 with the database and redis up, without a token', async () => {
      const res = await t.request('GET', '/health');
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ status: 'ok', info: { database: { status: 'up' }, redis: { status: 'up' } } });
    });

    describe('with a Redis of its own that goes away', () => {
      let redis: OwnRedis | undefined;
      let own: TestApp | undefined;

      afterAll(async () => {
        await own?.close();
        await redis?.stop();
      });

      const pollHealth = async (status: number): Promise<ApiResponse> => {
        const deadline = Date.now() + 5000;
        for (;;) {
          const res = await own!.request('GET', '/health');
          if (res.status === status || Date.now() > deadline) return res;
          await new Promise((r) => setTimeout(r, 200));
        }
      };

      it('is 503 once Redis is unreachable, and 200 again when it is back', async () => {
        redis = await startOwnRedis();
        own = await startTestApp({ REDIS_URL: redis.url });
        expect((await own.request('GET', '/health')).status).toBe(200);

        const port = redis.port;
        await redis.stop();
        redis = undefined;
        const down = await pollHealth(503);
        expect(down.status).toBe(503);
        expect(JSON.stringify(down.body)).toMatch(/redis/);
        expect(JSON.stringify(down.body)).toMatch(/"database":\{"status":"up"/);
        expectNoStack(down);

        redis = await startOwnRedis(port);
        const back = await pollHealth(200);
        expect(back.status).toBe(200);
      });
    });
  });
});
