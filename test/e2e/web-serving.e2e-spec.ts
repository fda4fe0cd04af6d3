import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestApp, TestApp } from '../setup/test-app';
import { expectError } from '../setup/errors';

const INDEX = '<!doctype html><html lang="vi"><head><title>Theo dõi đại hội</title></head><body><div id="root"></div></body></html>';

/** The API serves the built web app at / and falls back to index.html for the app's own routes. */
describe('serving the web app', () => {
  describe('with a built app in WEB_DIST_DIR', () => {
    let t: TestApp;
    let dist: string;

    beforeAll(async () => {
      dist = mkdtempSync(join(tmpdir(), 'ct-web-dist-'));
      mkdirSync(join(dist, 'assets'));
      writeFileSync(join(dist, 'index.html'), INDEX);
      writeFileSync(join(dist, 'assets', 'app-abc123.js'), 'console.log("app");');
      writeFileSync(join(dist, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
      t = await startTestApp({ WEB_DIST_DIR: dist });
    });
    afterAll(async () => {
      await t?.close();
      rmSync(dist, { recursive: true, force: true });
    });

    const get = (path: string) => fetch(`${t.baseUrl}${path}`);

    it.each(['/', '/units/5', '/approvals', '/login?next=%2Funits%2F5', '/admin/plans/3', '/dashboard?rootId=1'])(
      '%s answers index.html, never cached',
      async (path) => {
        const res = await get(path);
        expect(res.status).toBe(200);
        expect(res.headers.get('content-type')).toMatch(/^text\/html/);
        expect(res.headers.get('cache-control')).toBe('no-cache');
        expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
        expect(await res.text()).toBe(INDEX);
      },
    );

    it('serves the built files as they are, hashed assets cached for good', async () => {
      const js = await get('/assets/app-abc123.js');
      expect(js.status).toBe(200);
      expect(js.headers.get('content-type')).toMatch(/javascript/);
      expect(js.headers.get('cache-control')).toMatch(/max-age=31536000.*immutable/);
      expect(await js.text()).toBe('console.log("app");');
      const icon = await get('/favicon.svg');
      expect(icon.status).toBe(200);
      expect(icon.headers.get('cache-control')).toBe('no-cache');
    });

    it.each(['/api/nope', '/api/units/1/nope', '/health/nope', '/docs/nope', '/admin/queues/nope', '/assets/missing.js'])(
      '%s is a JSON 404 in the error shape, not the app',
      async (path) => {
        const res = await t.request('GET', path, { token: t.adminToken });
        expectError(res, 404, 'NOT_FOUND');
      },
    );

    it('the API, the health check and the docs keep answering', async () => {
      expect((await t.request('GET', '/api/me', { token: t.adminToken })).status).toBe(200);
      expect((await t.request('GET', '/health')).status).toBe(200);
      expect((await get('/docs-json')).headers.get('content-type')).toMatch(/json/);
      expectError(await t.request('GET', '/api/me'), 401, 'UNAUTHENTICATED');
    });

    it('a write to an app path is not the app: JSON 404', async () => {
      expectError(await t.request('POST', '/units/5', { body: {} }), 404, 'NOT_FOUND');
    });
  });

  describe('without a built app', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp({ WEB_DIST_DIR: join(tmpdir(), 'ct-web-dist-does-not-exist') });
    });
    afterAll(async () => t?.close());

    it('the API starts and / is a JSON 404', async () => {
      expectError(await t.request('GET', '/'), 404, 'NOT_FOUND');
      expectError(await t.request('GET', '/units/5'), 404, 'NOT_FOUND');
      expect((await t.request('GET', '/api/me', { token: t.adminToken })).status).toBe(200);
    });
  });
});
