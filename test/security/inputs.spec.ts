import { signToken, TEST_JWT_SECRET } from '../factories/tokens';
import { createUnit } from '../factories/tree';
import { expectError } from '../setup/errors';
import { startTestApp, TestApp } from '../setup/test-app';

/**
 * The classes of input that reached PostgreSQL (or the JSON parser, or Fastify) and came back as
 * 500s in the probe: each is a 400 (or 401) in the error shape.
 */
describe('no 5xx on any input: the classes the probe found', () => {
  let t: TestApp;
  let unitId: number;
  beforeAll(async () => {
    t = await startTestApp({ JWT_SECRET: TEST_JWT_SECRET });
    unitId = (await createUnit(t, { code: 'IN-P', tier: 'province', parentId: t.rootUnitId })).id;
  });
  afterAll(async () => t?.close());

  const raw = (method: string, path: string, body: string, headers: Record<string, string> = {}) =>
    t.request(method, path, { token: t.adminToken, raw: body, headers: { 'content-type': 'application/json', ...headers } });

  it.each([
    ['GET', '/api/units/2147483648'],
    ['GET', '/api/units/0'],
    ['GET', '/api/units/-1'],
    ['GET', '/api/units/99999999999999999999'],
    ['GET', '/api/units?parentId=2147483648'],
    ['GET', '/api/units?page=1e308'],
    ['GET', '/api/reports/progress?rootId=2147483648'],
    ['GET', '/api/notifications?unitId=2147483648'],
    ['GET', '/api/users?unitId=2147483648'],
    ['GET', '/api/units?q=%00'],
    ['GET', '/api/units?q=a%00b'],
    ['GET', '/api/holidays?year=0000'],
    ['GET', '/api/reports/contents?heldFrom=2025-02-30'],
    ['GET', '/api/reports/contents?sort=u.path'],
    ['GET', '/api/reports/overdue?stepNo=2147483648'],
    ['GET', '/api/reports/overdue?sort=name&order=1'],
    ['GET', '/api/notifications?from=2025-02-30'],
    ['GET', '/api/notifications?to=0000-01-01'],
    ['GET', '/api/plans/2147483648'],
    ['GET', '/api/units/1/steps/2147483648/history'],
  ])('%s %s → 400', async (method, path) => {
    expectError(await t.request(method, path, { token: t.adminToken }), 400, 'VALIDATION_FAILED');
  });

  it.each([
    ['POST', '/api/units', '{"code":"X1","name":"a","tier":"district","parentId":2147483648}'],
    ['POST', '/api/units', '{"code":"X1","name":"a","tier":"district","parentId":1e308}'],
    ['POST', '/api/units', '{"code":"X1","name":"a\\u0000b","tier":"district","parentId":1}'],
    ['POST', '/api/units', '{"code":"X1","name":"a\\ud800b","tier":"district","parentId":1}'],
    ['POST', '/api/units', '{"code":"X1","name":"a\\udc00","tier":"district","parentId":1}'],
    ['POST', '/api/users', '{"email":"x@y.vn","name":"n","password":"long-enough-pass","role":"viewer","unitId":2147483648}'],
    ['PATCH', '/api/units/1', '{"name":null}'],
    ['PATCH', '/api/units/1', '{"contactEmails":null}'],
    ['PATCH', '/api/units/1', '{"congressDate":"2025-02-30"}'],
    ['PATCH', '/api/plans/1', '{"name":null}'],
    ['PATCH', '/api/plans/2147483648', '{"name":"x"}'],
    ['PATCH', '/api/plans/1/steps/2147483648', '{"deadlines":{}}'],
    ['POST', '/api/reminders/sweep', '{"asOf":"2025-02-30"}'],
    ['POST', '/api/reminders/sweep', '{"asOf":"2025-13-01"}'],
    ['POST', '/api/reminders/sweep', '{"asOf":"2025-04-31"}'],
    ['POST', '/api/reminders/sweep', '{"asOf":"0000-01-01"}'],
    ['POST', '/api/reminders/sweep', '{"asOf":null}'],
    ['PUT', '/api/holidays/0000-01-01', '{"name":"x"}'],
    ['PUT', '/api/holidays/2025-02-30', '{"name":"x"}'],
    ['DELETE', '/api/holidays/2025-13-01', ''],
    ['POST', '/api/plans/1/activate', '{"rootUnitId":2147483648}'],
    ['POST', '/api/units/1/steps/1/actions', '{"action":"start","expectedVersion":2147483648}'],
    ['PUT', '/api/units/1/congress', '{"heldOn":"2025-02-30","kind":"members","contents":[]}'],
    [
      'PUT',
      '/api/units/1/congress',
      '{"heldOn":"2025-06-15","kind":"members","contents":[],"committee":{"size":5,"women":1,"young":1,"ethnicMinority":1,"newlyElected":3,"minVotePct":1e-7}}',
    ],
    ['POST', '/api/units', '{"code":"X1",'],
    ['POST', '/api/units', '[1,2'],
  ])('%s %s %s → 400', async (method, path, body) => {
    expectError(await raw(method, path, body), 400, 'VALIDATION_FAILED');
  });

  it('an empty JSON body, a body of the wrong type and an unknown content type are refused in the error shape', async () => {
    expectError(await raw('POST', '/api/units', ''), 400, 'VALIDATION_FAILED');
    expectError(await raw('POST', '/api/units', '<x/>', { 'content-type': 'text/xml' }), 415, 'UNSUPPORTED_MEDIA_TYPE');
  });

  it('a lone surrogate in the login email, without a token, is 400', async () => {
    const res = await t.request('POST', '/api/auth/login', {
      raw: '{"email":"\\ud800","password":"x"}',
      headers: { 'content-type': 'application/json' },
    });
    expectError(res, 400, 'VALIDATION_FAILED');
  });

  it('a multipart content type with a JSON body on the import is refused in the error shape', async () => {
    const res = await t.request('POST', '/api/units/import', {
      token: t.adminToken,
      raw: '[{"code":"a"}]',
      headers: { 'content-type': 'multipart/form-data; boundary=xyz' },
    });
    expect([400, 415]).toContain(res.status);
    expectError(res, res.status, res.status === 400 ? 'VALIDATION_FAILED' : 'UNSUPPORTED_MEDIA_TYPE');
    const noBoundary = await t.request('POST', '/api/units/import', {
      token: t.adminToken,
      raw: '[{"code":"a"}]',
      headers: { 'content-type': 'multipart/form-data' },
    });
    expect(noBoundary.status).toBeGreaterThanOrEqual(400);
    expect(noBoundary.status).toBeLessThan(500);
    expect(noBoundary.body.code).toEqual(expect.any(String));
  });

  it('a signed token whose sub is not a positive int4 is 401', async () => {
    for (const sub of ['1', 0, -1, 2147483648, 1.5, null] as unknown[]) {
      const token = signToken({ sub, role: 'admin', unitId: t.rootUnitId } as never, TEST_JWT_SECRET);
      expectError(await t.request('GET', '/api/me', { token }), 401, 'UNAUTHENTICATED');
    }
  });

  it('an unknown method on a known path is 405 with Allow; an unknown path 404, both in the error shape', async () => {
    const res = await t.request('DELETE', `/api/units/${unitId}`, { token: t.adminToken });
    expectError(res, 405, 'METHOD_NOT_ALLOWED');
    expect(res.headers.get('allow')).toContain('PATCH');
    expectError(await t.request('PUT', '/api/units', { token: t.adminToken, body: {} }), 405, 'METHOD_NOT_ALLOWED');
    expectError(await t.request('POST', '/api/nothing-here', { token: t.adminToken, body: {} }), 404, 'NOT_FOUND');
    expectError(await t.request('GET', '/api/nothing-here', { token: t.adminToken }), 404, 'NOT_FOUND');
  });

  it('a malformed request line and a URL that does not decode answer in the error shape', async () => {
    const { connect } = await import('node:net');
    const url = new URL(t.baseUrl);
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = connect(Number(url.port), url.hostname, () => socket.write('GET /api/units HTTP/1.1 extra\r\nHost: x\r\n\r\n'));
      let data = '';
      socket.on('data', (c) => (data += c.toString()));
      socket.on('close', () => resolve(data));
      socket.on('error', reject);
    });
    expect(answer).toMatch(/^HTTP\/1\.1 400/);
    expect(JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4))).toEqual(
      expect.objectContaining({ statusCode: 400, code: 'VALIDATION_FAILED' }),
    );
    expectError(await t.request('GET', '/api/units/%E0%A4%A', { token: t.adminToken }), 400, 'VALIDATION_FAILED');
  });

  it('a body over the route limit is 413 PAYLOAD_TOO_LARGE', async () => {
    const big = JSON.stringify({ code: 'X', name: 'a'.repeat(1_100_000), tier: 'district', parentId: unitId });
    expectError(await raw('POST', '/api/units', big), 413, 'PAYLOAD_TOO_LARGE');
  });

  it('answers carry the security headers, and CORS admits only the app origin', async () => {
    const res = await t.request('GET', '/api/me', { token: t.adminToken, headers: { origin: 'https://evil.example' } });
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(res.headers.get('content-security-policy')).toContain("style-src 'self' 'unsafe-inline'");
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    const own = await t.request('GET', '/api/me', { token: t.adminToken, headers: { origin: 'http://localhost:3000' } });
    expect(own.headers.get('access-control-allow-origin')).toBe('http://localhost:3000');
  });
});
