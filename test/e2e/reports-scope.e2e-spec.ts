import { ReportsService } from '@app/reports';
import { startTestApp, TestApp } from '../setup/test-app';
import { expectError } from '../setup/errors';
import { plannedTree, SMALL_TREE } from '../factories/workflow';
import { download, progressAndRecount } from '../factories/reports';

/**
 * Reports answer for the caller's subtree only: a rootId outside it is 403 FORBIDDEN_SCOPE in every
 * format, however the id is spelled; without rootId the caller's own unit is the root. Bad query
 * values are 400 VALIDATION_FAILED.
 */
const REPORTS = ['progress', 'contents', 'overdue'];

describe('reports: scope and query validation', () => {
  let t: TestApp;
  let ids: Record<string, number>;
  let district: string;

  beforeAll(async () => {
    t = await startTestApp();
    ({ ids } = await plannedTree(t, SMALL_TREE));
    district = await t.loginAs('viewer', ids.D1);
    const body = { heldOn: '2025-05-20', kind: 'members', contents: [1, 2, 3, 4].map((no) => ({ no, status: 'done' })) };
    for (const code of ['D1-1', 'D2-1'])
      expect((await t.request('PUT', `/api/units/${ids[code]}/congress`, { token: t.adminToken, body })).status).toBe(200);
  });
  afterAll(async () => t?.close());

  const get = (path: string, token = district) => t.request('GET', path, { token });

  it.each(REPORTS)(
    '%s: a rootId outside the subtree (sibling, parent, the root) → 403 FORBIDDEN_SCOPE, in every format',
    async (report) => {
      for (const code of ['D2', 'D2-1', 'P']) {
        for (const format of ['json', 'csv', 'xlsx']) {
          const res = await get(`/api/reports/${report}?rootId=${ids[code]}&format=${format}`);
          expectError(res, 403, 'FORBIDDEN_SCOPE');
        }
      }
      expectError(await get(`/api/reports/${report}?rootId=${t.rootUnitId}`), 403, 'FORBIDDEN_SCOPE');
    },
  );

  it.each(REPORTS)('%s: an outside rootId spelled otherwise (5.0, 5e0, +5, " 5", 0x5) is refused, never answered', async (report) => {
    for (const target of [ids.P, t.rootUnitId]) {
      for (const spelled of [`${target}.0`, `${target}e0`, `%2B${target}`, `%20${target}`, `0x${target.toString(16)}`, `${target}.00`]) {
        for (const format of ['json', 'csv']) {
          const res = await get(`/api/reports/${report}?rootId=${spelled}&format=${format}`);
          expect({ spelled, status: res.status }).toEqual({ spelled, status: res.status === 403 ? 403 : 400 });
          expectError(res, res.status, res.status === 403 ? 'FORBIDDEN_SCOPE' : 'VALIDATION_FAILED');
        }
      }
    }
  });

  it('the service refuses an outside root itself, whatever the guard let through', async () => {
    const { rows } = await t.db.query(`SELECT id, email, name, role, unit_id AS "unitId" FROM users WHERE unit_id = $1 LIMIT 1`, [ids.D1]);
    const user = { ...rows[0], unitPath: (await t.db.query(`SELECT path FROM units WHERE id = $1`, [ids.D1])).rows[0].path };
    const reports = t.app.get(ReportsService);
    const query = { rootId: ids.P, groupBy: 'child', format: 'json', page: 1, pageSize: 10 } as any;
    for (const call of [() => reports.progress(user, query), () => reports.contents(user, query), () => reports.overdue(user, query)]) {
      await expect(call()).rejects.toMatchObject({ code: 'FORBIDDEN_SCOPE' });
    }
    await expect(reports.progress(user, { ...query, rootId: ids['D1-1'] })).resolves.toMatchObject({ rootId: ids['D1-1'] });
  });

  it('without rootId the report is of the caller’s own unit; inside the subtree any root is fine', async () => {
    const own = await get('/api/reports/progress?groupBy=child');
    expect(own.status).toBe(200);
    expect(own.body.rootId).toBe(ids.D1);
    expect(own.body.rows.map((r: any) => r.key)).toEqual(['D1-1', 'D1-2']);
    const { actual, expected } = await progressAndRecount(t, ids.D1, 'tier', district);
    expect(actual).toEqual(expected);
    expect(actual.rows.map((r: any) => [r.key, r.units])).toEqual([
      ['district', 1],
      ['grassroots', 2],
      ['cell', 2],
    ]);
    const contents = await get('/api/reports/contents');
    expect(contents.status).toBe(200);
    expect(contents.body.summary).toMatchObject({ units: 5, congressesHeld: 1, completedAll: 1, completedAllPct: 100 });
    expect(contents.body.items.map((i: any) => i.code)).toEqual(['D1-1']);
    const overdue = await get('/api/reports/overdue');
    expect(overdue.status).toBe(200);
    const { rows } = await t.db.query(
      `SELECT count(*)::int AS n FROM unit_steps us JOIN units u ON u.id = us.unit_id
        WHERE u.code LIKE 'D1%' AND us.status NOT IN ('completed', 'skipped') AND us.due_date < (now() AT TIME ZONE 'Asia/Ho_Chi_Minh')::date`,
    );
    expect(overdue.body.total).toBe(rows[0].n);
    expect(new Set(overdue.body.items.map((i: any) => i.code.slice(0, 2)))).toEqual(new Set(['D1']));
    expect((await get(`/api/reports/progress?rootId=${ids['D1-1-1']}`)).status).toBe(200);
    const file = await download(t, '/api/reports/contents?format=csv', district);
    expect(file.status).toBe(200);
    expect(file.headers.get('content-disposition')).toContain('bao-cao-4-noi-dung-D1.csv');
  });

  it('a rootId that does not exist → 404 NOT_FOUND', async () => {
    expectError(await get('/api/reports/progress?rootId=999999', t.adminToken), 404, 'NOT_FOUND');
  });

  it('no token → 401 UNAUTHENTICATED', async () => {
    expectError(await t.request('GET', '/api/reports/progress'), 401, 'UNAUTHENTICATED');
  });

  it.each([
    ['progress', 'groupBy=x', 'groupBy'],
    ['progress', 'format=pdf', 'format'],
    ['progress', 'rootId=abc', 'rootId'],
    ['progress', 'unknown=1', 'unknown'],
    ['contents', 'completedAll=maybe', 'completedAll'],
    ['contents', 'tier=village', 'tier'],
    ['contents', 'heldFrom=15/05/2025', 'heldFrom'],
    ['contents', 'heldTo=2025-02-30', 'heldTo'],
    ['contents', 'page=0', 'page'],
    ['overdue', 'pageSize=1001', 'pageSize'],
    ['overdue', 'page=x', 'page'],
    ['overdue', 'format=pdf', 'format'],
  ])('%s?%s → 400 VALIDATION_FAILED naming %s', async (report, query, field) => {
    const res = await get(`/api/reports/${report}?${query}`);
    expectError(res, 400, 'VALIDATION_FAILED');
    expect(res.body.details).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
  });
});
