import { startTestApp, TestApp } from '../setup/test-app';
import { expectError } from '../setup/errors';
import { createUnit } from '../factories/tree';

/** PATCH /api/users/:id: administrators rename, change roles, disable and enable users of their subtree. */
describe('user administration (PATCH /api/users/:id)', () => {
  let t: TestApp;
  let d1: number;
  let d2: number;
  const password = 'mat-khau-dai-123';

  const createUser = async (email: string, unitId: number, role = 'editor'): Promise<number> => {
    const res = await t.request('POST', '/api/users', {
      token: t.adminToken,
      body: { email, name: 'Nguyễn Văn A', password, role, unitId },
    });
    expect(res.status).toBe(201);
    return res.body.id;
  };
  const login = (email: string) => t.request('POST', '/api/auth/login', { body: { email, password } });

  beforeAll(async () => {
    t = await startTestApp();
    const p = await createUnit(t, { code: 'UP', tier: 'province', parentId: t.rootUnitId });
    d1 = (await createUnit(t, { code: 'UD1', tier: 'district', parentId: p.id })).id;
    d2 = (await createUnit(t, { code: 'UD2', tier: 'district', parentId: p.id })).id;
  });
  afterAll(async () => t?.close());

  it('changes the role and the name; the list shows the unit and the account state', async () => {
    const id = await createUser('bien@test.vn', d1);
    const res = await t.request('PATCH', `/api/users/${id}`, { token: t.adminToken, body: { role: 'supervisor', name: 'Trần Thị Biên' } });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      id,
      email: 'bien@test.vn',
      name: 'Trần Thị Biên',
      role: 'supervisor',
      unitId: d1,
      unitName: expect.any(String),
      unitCode: 'UD1',
      disabled: false,
    });
    const me = await t.request('GET', '/api/me', { token: (await login('bien@test.vn')).body.accessToken });
    expect(me.body.role).toBe('supervisor');
    const list = await t.request('GET', `/api/users?unitId=${d1}`, { token: t.adminToken });
    expect(list.body).toEqual([expect.objectContaining({ id, role: 'supervisor', unitCode: 'UD1', disabled: false })]);
  });

  it('a disabled account cannot log in and its token stops working; enabling it again lets it in', async () => {
    const id = await createUser('tam@test.vn', d1);
    const token = (await login('tam@test.vn')).body.accessToken;
    expect((await t.request('GET', '/api/me', { token })).status).toBe(200);

    const off = await t.request('PATCH', `/api/users/${id}`, { token: t.adminToken, body: { disabled: true } });
    expect(off.status).toBe(200);
    expect(off.body.disabled).toBe(true);
    expectError(await t.request('GET', '/api/me', { token }), 401, 'UNAUTHENTICATED');
    expectError(await login('tam@test.vn'), 401, 'UNAUTHENTICATED');

    const on = await t.request('PATCH', `/api/users/${id}`, { token: t.adminToken, body: { disabled: false } });
    expect(on.body.disabled).toBe(false);
    expect((await login('tam@test.vn')).status).toBe(200);
  });

  it('a district admin manages users of its subtree only', async () => {
    const districtAdmin = await t.loginAs('admin', d1);
    const inside = await createUser('trong@test.vn', d1, 'viewer');
    const outside = await createUser('ngoai@test.vn', d2, 'viewer');
    expect((await t.request('PATCH', `/api/users/${inside}`, { token: districtAdmin, body: { role: 'editor' } })).status).toBe(200);
    expectError(
      await t.request('PATCH', `/api/users/${outside}`, { token: districtAdmin, body: { role: 'editor' } }),
      403,
      'FORBIDDEN_SCOPE',
    );
    expectError(
      await t.request('PATCH', `/api/users/${outside}`, { token: districtAdmin, body: { disabled: true } }),
      403,
      'FORBIDDEN_SCOPE',
    );
    const { rows } = await t.db.query(`SELECT role, disabled_at FROM users WHERE id = $1`, [outside]);
    expect(rows[0]).toEqual({ role: 'viewer', disabled_at: null });
    // A supervisor is not an administrator.
    const supervisor = await t.loginAs('supervisor', d1);
    expectError(await t.request('PATCH', `/api/users/${inside}`, { token: supervisor, body: { role: 'admin' } }), 403, 'FORBIDDEN_SCOPE');
  });

  it('nobody changes their own role or disables themselves; renaming oneself is fine', async () => {
    const { rows } = await t.db.query(`SELECT id FROM users WHERE email = 'admin@test.vn'`);
    const self = rows[0].id;
    expectError(await t.request('PATCH', `/api/users/${self}`, { token: t.adminToken, body: { role: 'viewer' } }), 409, 'CONFLICT');
    expectError(await t.request('PATCH', `/api/users/${self}`, { token: t.adminToken, body: { disabled: true } }), 409, 'CONFLICT');
    expect((await t.request('PATCH', `/api/users/${self}`, { token: t.adminToken, body: { name: 'Quản trị tỉnh' } })).status).toBe(200);
  });

  it('refuses unknown users and invalid values', async () => {
    const id = await createUser('hai@test.vn', d2);
    expectError(await t.request('PATCH', `/api/users/999999`, { token: t.adminToken, body: { role: 'viewer' } }), 404, 'NOT_FOUND');
    for (const body of [{ role: 'owner' }, { disabled: 'yes' }, { name: '' }, { role: null }, { email: 'x@test.vn' }]) {
      expectError(await t.request('PATCH', `/api/users/${id}`, { token: t.adminToken, body }), 400, 'VALIDATION_FAILED');
    }
    expectError(await t.request('PATCH', `/api/users/0`, { token: t.adminToken, body: {} }), 400, 'VALIDATION_FAILED');
  });
});
