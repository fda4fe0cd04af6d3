import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { createUnit } from '../factories/tree';
import { adminQuery, appDatabaseUrl, TEST_APP_ROLE } from '../setup/infra';
import { startTestApp, TestApp } from '../setup/test-app';

/**
 * The app connects as an ordinary role that owns its database (ARCHITECTURE.md): not a
 * superuser, so its own credentials cannot switch the append-only trigger of step_events off.
 */
describe('the app’s database role', () => {
  let t: TestApp;
  let app: DataSource;
  beforeAll(async () => {
    t = await startTestApp();
    app = t.app.get(DataSource);
    // One transition, so step_events has a row.
    const unit = await createUnit(t, { code: 'ROLE-P', tier: 'province', parentId: t.rootUnitId });
    const plan = await t.request('POST', '/api/plans', { token: t.adminToken, body: { code: 'ROLE', name: 'Kế hoạch' } });
    await t.request('POST', `/api/plans/${plan.body.id}/activate`, { token: t.adminToken, body: { rootUnitId: unit.id } });
    const started = await t.request('POST', `/api/units/${unit.id}/steps/1/actions`, {
      token: t.adminToken,
      body: { action: 'start', expectedVersion: 1 },
    });
    expect(started.status).toBe(200);
  });
  afterAll(async () => t?.close());

  it('is the ordinary role, not a superuser, and owns the database', async () => {
    const [me] = await app.query(
      `SELECT current_user AS "user", r.rolsuper AS super, pg_get_userbyid(d.datdba) AS owner
         FROM pg_roles r, pg_database d WHERE r.rolname = current_user AND d.datname = current_database()`,
    );
    expect(me).toEqual({ user: TEST_APP_ROLE, super: false, owner: TEST_APP_ROLE });
  });

  it('cannot turn triggers off with session_replication_role', async () => {
    await expect(app.query(`SET session_replication_role = replica`)).rejects.toThrow(/permission denied/);
  });

  it('cannot update, delete or truncate the history', async () => {
    const [{ n }] = await app.query(`SELECT count(*)::int AS n FROM step_events`);
    expect(n).toBeGreaterThan(0);
    await expect(app.query(`UPDATE step_events SET note = 'rewritten'`)).rejects.toThrow();
    await expect(app.query(`DELETE FROM step_events`)).rejects.toThrow();
    await expect(app.query(`TRUNCATE step_events`)).rejects.toThrow();
    const [{ after }] = await app.query(`SELECT count(*)::int AS after FROM step_events`);
    expect(after).toBe(n);
  });

  it('as a database owner it may create the trusted extensions the web app uses (unaccent, pg_trgm)', async () => {
    const name = `ct_ext_${process.pid}_${Date.now()}`;
    await adminQuery(`CREATE DATABASE ${name} OWNER ${TEST_APP_ROLE}`);
    const client = new Client({ connectionString: appDatabaseUrl(name) });
    await client.connect();
    try {
      await client.query(`CREATE EXTENSION IF NOT EXISTS unaccent`);
      await client.query(`CREATE EXTENSION IF NOT EXISTS pg_trgm`);
      const { rows } = await client.query(`SELECT unaccent('Đảng bộ Vũ Thư') AS plain, similarity('Vũ Thư', 'Vu Thu') >= 0 AS ok`);
      expect(rows[0]).toEqual({ plain: 'Dang bo Vu Thu', ok: true });
    } finally {
      await client.end();
      await adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    }
  });
});
