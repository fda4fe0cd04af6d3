import { createUnit } from '../factories/tree';
import { expectError } from '../setup/errors';
import { startTestApp, TestApp } from '../setup/test-app';
import { webLogin } from '../factories/session';

describe('Bull Board at /admin/queues', () => {
  let t: TestApp;
  beforeAll(async () => (t = await startTestApp()));
  afterAll(async () => t?.close());

  it('refuses anonymous callers, non-admins and admins below the root', async () => {
    expectError(await t.request('GET', '/admin/queues'), 401, 'UNAUTHENTICATED');
    const editor = await t.loginAs('editor', t.rootUnitId);
    expectError(await t.request('GET', '/admin/queues', { headers: { cookie: `ct_session=${editor}` } }), 403, 'FORBIDDEN_SCOPE');
    const district = await createUnit(t, { code: 'QB-D', tier: 'province', parentId: t.rootUnitId });
    const districtAdmin = await t.loginAs('admin', district.id);
    expectError(await t.request('GET', '/admin/queues', { headers: { cookie: `ct_session=${districtAdmin}` } }), 403, 'FORBIDDEN_SCOPE');
  });

  it('never takes a token from the URL (it would be written to the request log)', async () => {
    expectError(await t.request('GET', `/admin/queues?token=${t.adminToken}`), 401, 'UNAUTHENTICATED');
  });

  it("serves the board and its queue list to an admin of the root, from the web app's session cookie", async () => {
    const cookie = `ct_session=${t.adminToken}`;
    const page = await t.request('GET', '/admin/queues', { headers: { cookie } });
    expect(page.status).toBe(200);
    expect(String(page.body)).toContain('<html');
    const api = await t.request('GET', '/admin/queues/api/queues', { headers: { cookie } });
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
