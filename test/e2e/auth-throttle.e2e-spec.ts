import { startTestApp, TestApp } from '../setup/test-app';
import { expectError } from '../setup/errors';

describe('login throttling (LOGIN_RATE_LIMIT=3)', () => {
  let t: TestApp;
  beforeAll(async () => (t = await startTestApp({ LOGIN_RATE_LIMIT: '3' })));
  afterAll(async () => t?.close());

  const attempt = (email: string, password: string) => t.request('POST', '/api/auth/login', { body: { email, password } });

  it('the 4th attempt for the same email gets 429 RATE_LIMITED, even with the right password', async () => {
    // loginAs creates the user and logs in once (attempt 1); its password is "password-123".
    await t.loginAs('viewer', t.rootUnitId, 'target@test.vn');
    expectError(await attempt('target@test.vn', 'wrong-password'), 401, 'UNAUTHENTICATED');
    expectError(await attempt('TARGET@test.vn', 'wrong-password'), 401, 'UNAUTHENTICATED');
    const fourth = await attempt('target@test.vn', 'password-123');
    expectError(fourth, 429, 'RATE_LIMITED');
    expect(fourth.body).not.toHaveProperty('accessToken');
    expectError(await attempt('target@test.vn', 'wrong-password'), 429, 'RATE_LIMITED');
  });

  it('counts per email: another email is not throttled', async () => {
    await t.loginAs('viewer', t.rootUnitId, 'other@test.vn');
    expectError(await attempt('someone@test.vn', 'wrong-password'), 401, 'UNAUTHENTICATED');
  });

  it('does not throttle authenticated requests', async () => {
    for (let i = 0; i < 5; i++) expect((await t.request('GET', '/api/me', { token: t.adminToken })).status).toBe(200);
  });
});
