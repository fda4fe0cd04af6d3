import { expectError } from '../setup/errors';
import { startTestApp, TestApp } from '../setup/test-app';

/**
 * Logins cannot be sprayed: attempts are counted in Redis per account (across addresses) and per
 * address (across accounts) before any hashing, and hashing is bounded and fair across addresses.
 * Client addresses come from X-Forwarded-For (TRUST_PROXY=true), as behind the production proxy.
 */
describe('login throttling and password rules', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ TRUST_PROXY: 'true', LOGIN_ADDRESS_RATE_LIMIT: '30', LOGIN_RATE_LIMIT: '10' });
    await t.loginAs('editor', t.rootUnitId, 'real.user@test.vn'); // password "password-123"
  });
  afterAll(async () => t?.close());

  const login = (email: string, password: string, address: string) =>
    t.request('POST', '/api/auth/login', { body: { email, password }, headers: { 'x-forwarded-for': address } });

  it('a spray of 1,000 logins over 100 emails from one address is throttled; a real user elsewhere logs in meanwhile', async () => {
    const quietStart = Date.now();
    expect((await login('real.user@test.vn', 'password-123', '198.51.100.7')).status).toBe(200);
    const quietMs = Date.now() - quietStart;
    const statuses: Record<number, number> = {};
    let next = 0;
    let realMs = -1;
    let realStatus = 0;
    const spray = Array.from({ length: 32 }, async () => {
      while (next < 1000) {
        const i = next++;
        if (i === 100) {
          // The real user, from another address, in the middle of the spray.
          const started = Date.now();
          const res = await login('real.user@test.vn', 'password-123', '198.51.100.7');
          realMs = Date.now() - started;
          realStatus = res.status;
        }
        const res = await login(`victim${i % 100}@test.vn`, `guess-${i}`, '203.0.113.9');
        statuses[res.status] = (statuses[res.status] ?? 0) + 1;
      }
    });
    const started = Date.now();
    await Promise.all(spray);
    console.log(
      `login spray: 1,000 attempts over 100 emails from one address in ${Date.now() - started} ms → ${JSON.stringify(statuses)}; ` +
        `the real user's login from another address meanwhile: ${realStatus} in ${realMs} ms (${quietMs} ms before the spray)`,
    );
    expect(statuses[429]).toBeGreaterThanOrEqual(1000 - 30);
    expect((statuses[401] ?? 0) + (statuses[429] ?? 0)).toBe(1000);
    expect(realStatus).toBe(200); // the account allows 10 attempts a minute: 2 used here
    // Generous: argon2 takes ~0.1 s on a quiet core, seconds on a shared, loaded CI machine.
    expect(realMs).toBeLessThan(15_000);
  }, 120_000);

  it('an account is throttled across addresses', async () => {
    for (let i = 0; i < 10; i++) expectError(await login('target@test.vn', `wrong-${i}`, `192.0.2.${i + 1}`), 401, 'UNAUTHENTICATED');
    const res = await login('target@test.vn', 'wrong', '192.0.2.200');
    expectError(res, 429, 'RATE_LIMITED');
    expect(res.body.details).toEqual(expect.objectContaining({ scope: 'account', retryAfterSeconds: expect.any(Number) }));
  });

  it('the counters live in Redis under the app prefix (they hold across API instances)', async () => {
    const { default: Redis } = await import('ioredis');
    const redis = new Redis(process.env.REDIS_URL!);
    try {
      const keys = await redis.keys(`${t.redisPrefix}:login:*`);
      expect(keys.some((k) => k.includes(':addr:203.0.113.9'))).toBe(true);
      expect(keys.some((k) => k.includes(':acct:'))).toBe(true);
    } finally {
      redis.disconnect();
    }
  });

  it('a burst of parallel logins from many addresses is bounded: some refused at once, none fail', async () => {
    const results = await Promise.all(
      Array.from({ length: 60 }, (_, i) => login(`burst${i}@test.vn`, 'wrong-password', `10.1.${Math.floor(i / 250)}.${(i % 250) + 1}`)),
    );
    const counts: Record<number, number> = {};
    for (const r of results) counts[r.status] = (counts[r.status] ?? 0) + 1;
    console.log(`60 parallel logins from 60 addresses: ${JSON.stringify(counts)}`);
    expect(Object.keys(counts).every((s) => s === '401' || s === '429')).toBe(true);
  });

  it.each([
    ['short', 'too-short', 'longer than or equal to 10'],
    ['common', '1234567890', 'common'],
    ['common, another case', 'Qwertyuiop', 'common'],
    ['the email', 'new.user@test.vn', 'email'],
    ['the email’s local part', 'NEW.USER.X', null],
    ['one character repeated', 'aaaaaaaaaaaa', 'repeated'],
  ])('a password that is %s is refused', async (_what, password, reason) => {
    const email = password === 'NEW.USER.X' ? 'new.user.x@test.vn' : 'new.user@test.vn';
    const res = await t.request('POST', '/api/users', {
      token: t.adminToken,
      body: { email, name: 'Người mới', password, role: 'viewer', unitId: t.rootUnitId },
    });
    expectError(res, 400, 'VALIDATION_FAILED');
    expect(res.body.details).toEqual([expect.objectContaining({ field: 'password', reason: expect.stringContaining(reason ?? 'email') })]);
  });

  it('a long, uncommon password is accepted', async () => {
    const res = await t.request('POST', '/api/users', {
      token: t.adminToken,
      body: { email: 'good.user@test.vn', name: 'Người mới', password: 'Hoa sen nở giữa đầm 2025', role: 'viewer', unitId: t.rootUnitId },
    });
    expect(res.status).toBe(201);
  });
});
