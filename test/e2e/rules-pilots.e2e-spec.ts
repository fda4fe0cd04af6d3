import { startTestApp, TestApp } from '../setup/test-app';
import { expectError } from '../setup/errors';
import { communes, plannedTree, setCongressDate } from '../factories/workflow';
import { download, parseCsv, readXlsxReport } from '../factories/reports';

/**
 * Pilots (issue 11, item 5): congress windows are "complete before" dates, a start only where the
 * plan sets one, the same rule for a congress date and a congress record's heldOn; reports filter on
 * the unit's pilot flag, in JSON and in their exports.
 */
describe('windows: complete before, an optional start, the same rule for congressDate and heldOn', () => {
  let t: TestApp;
  let ids: Record<string, number>;
  let planId: number;

  beforeAll(async () => {
    t = await startTestApp();
    ({ ids, planId } = await plannedTree(t, [...communes(2), { code: 'K', name: 'Chi bộ K', tier: 'cell', parentCode: 'C1' }]));
    // C1 is a pilot (đại hội điểm): set by an admin of a strict ancestor.
    expect((await t.request('PATCH', `/api/units/${ids.C1}`, { token: t.adminToken, body: { pilot: true } })).status).toBe(200);
  });
  afterAll(async () => t?.close());

  const setWindow = (tier: string, window: object) =>
    t.request('PATCH', `/api/plans/${planId}`, { token: t.adminToken, body: { congressWindows: { [tier]: window } } });
  const record = (unitId: number, heldOn: string) =>
    t.request('PUT', `/api/units/${unitId}/congress`, {
      token: t.adminToken,
      body: { heldOn, kind: 'members', contents: [1, 2, 3, 4].map((no) => ({ no, status: 'done' })) },
    });

  it('the default plan: Directive 45 ends, no start but for cells (January 2025) and the national congress', async () => {
    const plan = (await t.request('GET', `/api/plans/${planId}`, { token: t.adminToken })).body;
    expect(plan.congressWindows).toEqual({
      cell: { from: '2025-01-01', to: '2025-03-31' },
      grassroots: { to: '2025-06-30' },
      district: { to: '2025-08-31' },
      province: { to: '2025-10-31' },
      central: { from: '2026-01-19', to: '2026-01-23' },
    });
  });

  // [window, unit, pilot?, date, accepted]
  const TABLE: [string, object, 'C1' | 'C2' | 'K', boolean, string, boolean][] = [
    ['no start: a pilot on 20/03/2025 is fine', { to: '2025-06-30' }, 'C1', true, '2025-03-20', true],
    [
      'no start: a unit that is not a pilot too (the window is the rule, not the flag)',
      { to: '2025-06-30' },
      'C2',
      false,
      '2025-03-20',
      true,
    ],
    ['no start: the end itself is fine', { to: '2025-06-30' }, 'C2', false, '2025-06-30', true],
    ['no start: after the end is refused, pilot or not', { to: '2025-06-30' }, 'C1', true, '2025-07-01', false],
    ['a start set by the plan is enforced, pilot or not', { from: '2025-04-01', to: '2025-06-30' }, 'C1', true, '2025-03-20', false],
    ['a start set by the plan: on it is fine', { from: '2025-04-01', to: '2025-06-30' }, 'C2', false, '2025-04-01', true],
  ];
  it.each(TABLE)('%s (congressDate and heldOn alike)', async (_name, window, code, _pilot, date, accepted) => {
    expect((await setWindow('grassroots', window)).status).toBe(200);
    const scheduled = await setCongressDate(t, ids[code], date);
    const held = await record(ids[code], date);
    if (accepted) {
      expect([scheduled.status, held.status]).toEqual([200, 200]);
      expect(held.body.heldOn).toBe(date);
    } else {
      expectError(scheduled, 400, 'VALIDATION_FAILED');
      expectError(held, 400, 'VALIDATION_FAILED');
      expect(scheduled.body.details).toEqual([expect.objectContaining({ field: 'congressDate' })]);
      expect(held.body.details).toEqual([expect.objectContaining({ field: 'heldOn' })]);
    }
  });

  it('the cell window keeps its start: 31/12/2024 is refused for both', async () => {
    expectError(await setCongressDate(t, ids.K, '2024-12-31'), 400, 'VALIDATION_FAILED');
    expectError(await record(ids.K, '2024-12-31'), 400, 'VALIDATION_FAILED');
    expect((await setCongressDate(t, ids.K, '2025-01-01')).status).toBe(200);
  });

  it('windows are validated: an end is required, a start not after it', async () => {
    for (const window of [
      { from: '2025-04-01' },
      { from: '2025-07-01', to: '2025-06-30' },
      { to: '2025-02-30' },
      { to: '2025-06-30', start: 'x' },
    ]) {
      expectError(await setWindow('grassroots', window), 400, 'VALIDATION_FAILED');
    }
    expect((await setWindow('grassroots', { to: '2025-06-30' })).status).toBe(200);
    const plan = (await t.request('GET', `/api/plans/${planId}`, { token: t.adminToken })).body;
    expect(plan.congressWindows.grassroots).toEqual({ to: '2025-06-30' });
  });

  it('moving a unit re-checks its date with the same rule: a start set later refuses the move of an early pilot', async () => {
    expect((await setCongressDate(t, ids.C2, '2025-03-20')).status).toBe(200);
    expect((await setWindow('grassroots', { from: '2025-04-01', to: '2025-06-30' })).status).toBe(200);
    // Re-parenting C2 re-checks its congress date against the grassroots window, now with a start.
    const res = await t.request('PATCH', `/api/units/${ids.C2}`, { token: t.adminToken, body: { parentId: ids.P } });
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body)).toContain('01/04/2025 – 30/06/2025');
    expect((await setWindow('grassroots', { to: '2025-06-30' })).status).toBe(200);
  });
});

describe('reports filter on pilots: progress, overdue, contents, and their exports', () => {
  let t: TestApp;
  let ids: Record<string, number>;

  beforeAll(async () => {
    t = await startTestApp();
    t.setClock('2025-06-15');
    ({ ids } = await plannedTree(t, communes(4)));
    ids.TW = t.rootUnitId;
    for (const code of ['C1', 'C3']) {
      expect((await t.request('PATCH', `/api/units/${ids[code]}`, { token: t.adminToken, body: { pilot: true } })).status).toBe(200);
    }
    // Step 1 (absolute, 2/12/2024) is overdue for the 4 communes.
  });
  afterAll(async () => t?.close());

  const get = (path: string) => t.request('GET', path, { token: t.adminToken });
  const grassroots = (body: any) => body.rows.find((r: any) => r.key === 'grassroots');

  // [filter, communes counted]
  const FILTERS: [string, string[]][] = [
    ['', ['C1', 'C2', 'C3', 'C4']],
    ['&pilot=true', ['C1', 'C3']],
    ['&pilot=false', ['C2', 'C4']],
  ];

  it.each(FILTERS)('progress by tier%s, from the counters’ root and a deep root alike', async (filter, codes) => {
    for (const root of ['TW', 'D']) {
      const res = await get(`/api/reports/progress?rootId=${ids[root]}&groupBy=tier${filter}`);
      expect(res.status).toBe(200);
      expect(grassroots(res.body)).toMatchObject({ units: codes.length });
      expect(grassroots(res.body).steps[0]).toMatchObject({ notStarted: codes.length, overdue: codes.length });
    }
    const byChild = await get(`/api/reports/progress?rootId=${ids.D}&groupBy=child${filter}`);
    expect(byChild.body.rows.filter((r: any) => r.units > 0).map((r: any) => r.key)).toEqual(codes);
  });

  it.each(FILTERS)('overdue%s: the total and the items', async (filter, codes) => {
    for (const root of ['TW', 'D']) {
      const res = await get(`/api/reports/overdue?rootId=${ids[root]}${filter}`);
      expect(res.status).toBe(200);
      const step1 = res.body.items.filter((i: any) => i.stepNo === 1 && i.code.startsWith('C'));
      expect(step1.map((i: any) => i.code).sort()).toEqual(codes);
      expect(res.body.total).toBe(res.body.items.length);
    }
  });

  it('the exports apply the filter and say so (file name, XLSX title)', async () => {
    const codesIn = (rows: unknown[][]) =>
      rows
        .map((r) => String(r[0]))
        .filter((c) => /^C\d$/.test(c))
        .sort();
    const csv = await download(t, `/api/reports/overdue?rootId=${ids.D}&format=csv&pilot=true`, t.adminToken);
    expect(csv.status).toBe(200);
    expect(codesIn(parseCsv(csv.bytes).rows)).toEqual(['C1', 'C3']);
    expect(decodeURIComponent(csv.headers.get('content-disposition') ?? '')).toContain('-dai-hoi-diem.csv');
    const xlsx = await download(t, `/api/reports/overdue?rootId=${ids.D}&format=xlsx&pilot=false`, t.adminToken);
    const sheet = await readXlsxReport(xlsx.bytes);
    expect(sheet.title).toBe('Danh sách đơn vị quá hạn (không gồm đại hội điểm)');
    expect(codesIn(sheet.rows)).toEqual(['C2', 'C4']);
    const progress = await download(t, `/api/reports/progress?rootId=${ids.D}&format=xlsx&pilot=true`, t.adminToken);
    const progressSheet = await readXlsxReport(progress.bytes);
    expect(progressSheet.title).toContain('(đại hội điểm)');
    expect([...new Set(codesIn(progressSheet.rows))]).toEqual(['C1', 'C3']);
  });

  it('the filter is validated: pilot=yes → 400 on every report', async () => {
    for (const report of ['progress', 'overdue', 'contents']) {
      const res = await get(`/api/reports/${report}?pilot=yes`);
      expectError(res, 400, 'VALIDATION_FAILED');
      expect(JSON.stringify(res.body.details)).toContain('pilot');
    }
  });
});
