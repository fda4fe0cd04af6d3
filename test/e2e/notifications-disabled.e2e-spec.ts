import { startTestApp, TestApp } from '../setup/test-app';
import { plannedTree, SMALL_TREE } from '../factories/workflow';
import { addUser, clearDueDates, setDue, sweep } from '../factories/notifications';

/** A disabled account (PATCH /api/users/:id {disabled: true}) can no longer log in, and gets no mail either. */
describe('a disabled account gets no mail', () => {
  let t: TestApp;
  let ids: Record<string, number>;

  beforeAll(async () => {
    t = await startTestApp();
    ({ ids } = await plannedTree(t, SMALL_TREE));
    await clearDueDates(t);
  }, 120_000);
  afterAll(async () => t?.close());

  it('a reminder goes to the unit’s enabled editors, not to a disabled one', async () => {
    const unit = ids['D1-1'];
    await addUser(t, 'editor', unit, 'dang-lam@test.vn');
    await addUser(t, 'editor', unit, 'da-nghi@test.vn');
    const { rows: users } = await t.db.query(`SELECT id FROM users WHERE email = 'da-nghi@test.vn'`);
    const off = await t.request('PATCH', `/api/users/${users[0].id}`, { token: t.adminToken, body: { disabled: true } });
    expect(off.status).toBe(200);
    await setDue(t, unit, '2025-03-10', { 1: 0 });
    await sweep(t, '2025-03-10');
    const { rows } = await t.db.query(`SELECT recipients FROM notifications WHERE kind = 'reminder' AND unit_id = $1`, [unit]);
    expect(rows).toHaveLength(1);
    expect(rows[0].recipients).toContain('dang-lam@test.vn');
    expect(rows[0].recipients).not.toContain('da-nghi@test.vn');
  });
});
