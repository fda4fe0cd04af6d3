import { UsersService } from '@app/auth';
import { Env } from '@app/core';
import { UnitImportService, UnitsRepository } from '@app/org';
import { PlansService } from '@app/plan';
import { WorkflowService } from '@app/workflow';
import { DEMO_PROVINCE_APPROVAL, DemoSeedService } from '../../apps/tools/src/demo/demo-seed.service';
import { startTestApp, TestApp } from '../setup/test-app';

jest.setTimeout(300_000);

/**
 * `npm run seed:demo` in a provincial deployment (the Docker stack: the root is Đảng bộ tỉnh Thái
 * Bình) uses the Party's rules: a few 3- and 2-content congresses and a pilot decided from above,
 * and the province's own personnel scheme (step 7) approved by the Politburo, recorded by the root's
 * admin as an outside decision with its number, through the workflow service the API uses. A second
 * run changes nothing.
 */
describe('the Thái Bình demo uses the new rules', () => {
  let t: TestApp;
  let demo: DemoSeedService;

  /** Everything the seed may write, fingerprinted. */
  const fingerprint = async () => {
    const out: Record<string, string> = {};
    for (const table of ['units', 'unit_steps', 'step_events', 'outbox', 'users', 'plans']) {
      const { rows } = await t.db.query(
        `SELECT count(*)::int AS n, md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) AS h FROM ${table} x`,
      );
      out[table] = `${rows[0].n}:${rows[0].h}`;
    }
    return out;
  };

  beforeAll(async () => {
    t = await startTestApp({ ROOT_UNIT_CODE: '34', ROOT_UNIT_NAME: 'Đảng bộ tỉnh Thái Bình', ROOT_UNIT_TIER: 'province' });
    t.setClock('2025-06-20');
    demo = new DemoSeedService(
      t.app.get(UnitsRepository),
      t.app.get(UnitImportService),
      t.app.get(UsersService),
      t.app.get(PlansService),
      t.app.get(WorkflowService),
      t.app.get(Env),
    );
  });
  afterAll(async () => {
    t?.setClock(null);
    await t?.close();
  });

  it('seeds the province with its own steps walked to the approved personnel scheme', async () => {
    const summary = await demo.run();
    expect(summary.mode).toBe('province');
    expect(summary.plan.activated).not.toBeNull();
    // Steps 1, 2, 6: start and complete; step 7: start, submit, approve.
    expect(summary.provinceTransitions).toBe(DEMO_PROVINCE_APPROVAL.before.length * 2 + 3);
  });

  it('a few units hold 3- and 2-content congresses and one commune (with a cell) is a pilot, as decided from above', async () => {
    const { rows } = await t.db.query(
      `SELECT congress_type AS type, tier, pilot, count(*)::int AS n FROM units
        WHERE congress_type <> 'full' OR pilot GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`,
    );
    expect(rows).toEqual([
      { type: 'full', tier: 'cell', pilot: true, n: 1 },
      { type: 'full', tier: 'grassroots', pilot: true, n: 1 },
      { type: 'three_contents', tier: 'grassroots', pilot: false, n: 2 },
      { type: 'two_contents', tier: 'grassroots', pilot: false, n: 1 },
    ]);
    const report = await t.request('GET', `/api/reports/contents?rootId=${t.rootUnitId}&pilot=true`, { token: t.adminToken });
    expect(report.status).toBe(200);
    // The contents report filters on pilots and breaks down by format: the two pilots hold full congresses.
    const units = Object.fromEntries(Object.entries(report.body.summary.byType).map(([type, s]: [string, any]) => [type, s.units]));
    expect(units).toEqual({ full: 2, three_contents: 0, two_contents: 0 });
    const all = await t.request('GET', `/api/reports/contents?rootId=${t.rootUnitId}`, { token: t.adminToken });
    expect(all.body.summary.byType).toMatchObject({ three_contents: { units: 2 }, two_contents: { units: 1 } });
  });

  it("the root's personnel scheme is approved by an outside decision with its number, recorded by the root's admin", async () => {
    const root = t.rootUnitId;
    const { stepNo, documentRef } = DEMO_PROVINCE_APPROVAL;
    const view = await t.request('GET', `/api/units/${root}/workflow`, { token: t.adminToken });
    expect(view.body.steps.filter((s: any) => s.status === 'completed').map((s: any) => s.no)).toEqual([1, 2, 6, 7]);
    const history = await t.request('GET', `/api/units/${root}/steps/${stepNo}/history`, { token: t.adminToken });
    expect(history.status).toBe(200);
    const events = history.body as { action: string; documentRef: string | null; actor: { id: number; name: string } | null }[];
    expect(events.map((e) => e.action)).toEqual(['start', 'submit', 'approve']);
    const approval = events[events.length - 1];
    expect(approval.documentRef).toBe(documentRef);
    expect(approval.documentRef).toMatch(/^Quyết định số \d+-QĐ\/TW /);
    const { rows } = await t.db.query(
      `SELECT u.email, u.role, u.unit_id AS "unitId" FROM step_events e JOIN users u ON u.id = e.actor_id
        WHERE e.unit_id = $1 AND e.step_no = $2 AND e.action = 'approve'`,
      [root, stepNo],
    );
    expect(rows).toEqual([{ email: 'admin@thaibinh.example', role: 'admin', unitId: root }]);
  });

  it('a second run changes nothing', async () => {
    const before = await fingerprint();
    const summary = await demo.run();
    expect(summary.units).toEqual({ created: 0, updated: 0, unchanged: expect.any(Number) });
    expect(summary.provinceTransitions).toBe(0);
    expect(summary.plan.activated).toBeNull();
    expect(await fingerprint()).toEqual(before);
  });
});
