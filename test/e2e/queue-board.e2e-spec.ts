import { startTestApp, TestApp } from '../setup/test-app';
import { webLogin } from '../factories/session';

describe('Bull Board at /admin/queues', () => {
  let t: TestApp;
  beforeAll(async () => (t = await startTestApp()));
  afterAll(async () => t?.close());

  it('refuses anonymous callers and non-admins', async () => {
    const anonymous = await t.request('GET', '/admin/queues');
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.code).toBe('UNAUTHENTICATED');
    const editor = await t.loginAs('editor', t.rootUnitId);
    const refused = await t.request('GET', '/admin/queues', { token: editor });
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe('FORBIDDEN_SCOPE');
  });

  it('serves the board and its queue list to an admin, then by cookie', async () => {
    const page = await t.request('GET', `/admin/queues?token=${t.adminToken}`);
    expect(page.status).toBe(200);
    expect(String(page.body)).toContain('<html');
    const cookie = page.headers.get('set-cookie') ?? '';
    expect(cookie).toContain('queue_board_token=');
    const api = await t.request('GET', '/admin/queues/api/queues', { headers: { cookie: cookie.split(';')[0] } });
    expect(api.status).toBe(200);
    expect(api.body.queues.map((q: { name: string }) => q.name).sort()).toEqual(['events', 'mail', 'schedule']);
  });

  it("opens from the web app's session cookie, for admins only", async () => {
    const admin = await webLogin(t, 'admin@test.vn', 'admin-password');
    const page = await t.request('GET', '/admin/queues', { headers: { cookie: admin.cookie } });
    expect(page.status).toBe(200);
    expect(String(page.body)).toContain('<html');
    await t.loginAs('editor', t.rootUnitId, 'board.editor@test.vn');
    const editor = await webLogin(t, 'board.editor@test.vn', 'password-123');
    const refused = await t.request('GET', '/admin/queues/api/queues', { headers: { cookie: editor.cookie } });
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe('FORBIDDEN_SCOPE');
  });
});
