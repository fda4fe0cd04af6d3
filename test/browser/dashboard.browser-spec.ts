import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Download, Page } from 'playwright-core';
import { parseCsv, readXlsxReport, vietnamToday } from '../factories/reports';
import { setDue } from '../factories/notifications';
import type { ImportRow } from '../factories/tree';
import { plannedTree, setStatus } from '../factories/workflow';
import { startTestApp, TestApp } from '../setup/test-app';
import { axeViolations, ensureWebBuilt, launchChromium, logIn, newContext, REPO, screenshot, WEB_DIST } from './harness';

/**
 * "Theo dõi tiến độ" and the report tables as the provincial supervisor uses them: the dashboard's
 * figures equal GET /api/reports/* for the same subtree and day, a click on a child drills down,
 * and the CSV/XLSX downloads read back. Every page is checked with axe-core and photographed.
 */
const TREE: ImportRow[] = [{ code: 'TB', name: 'Tỉnh ủy Thái Bình', tier: 'province', parentCode: '' }];
const DISTRICTS = ['Huyện ủy Vũ Thư', 'Huyện ủy Kiến Xương', 'Thành ủy Thái Bình'];
const COMMUNES = ['Vũ Hội', 'Vũ Tiến', 'Minh Lãng', 'Song Lãng'];
DISTRICTS.forEach((name, d) => {
  const dc = `TB-${d + 1}`;
  TREE.push({ code: dc, name, tier: 'district', parentCode: 'TB' });
  COMMUNES.forEach((commune, c) => {
    const cc = `${dc}-${c + 1}`;
    TREE.push({ code: cc, name: `Đảng ủy xã ${commune} ${d + 1}`, tier: 'grassroots', parentCode: dc });
    for (let k = 1; k <= 2; k++)
      TREE.push({ code: `${cc}-${k}`, name: `Chi bộ thôn ${k} xã ${commune} ${d + 1}`, tier: 'cell', parentCode: cc });
  });
});
const PASSWORD = 'password-123';
const SUPERVISOR = 'theo.doi@thaibinh.test.vn';

/** "1.234" (Vietnamese thousands) → 1234. */
const vnInt = (text: string) => Number(text.replace(/\./g, '').replace(/\s/g, ''));

describe('"Theo dõi tiến độ" and the report tables in Chromium', () => {
  let t: TestApp;
  let browser: Browser;
  let context: BrowserContext;
  let token: string;
  let ids: Record<string, number>;
  const today = vietnamToday();

  async function visit(page: Page, name: string): Promise<string> {
    const path = await screenshot(page, name);
    expect(await axeViolations(page, name)).toEqual([]);
    return path;
  }

  const api = async (path: string) => {
    const res = await t.request('GET', path, { token });
    expect(res.status).toBe(200);
    return res.body;
  };

  /** The number a headline figure shows (antd Statistic with that title). */
  async function figure(page: Page, title: string): Promise<number> {
    const stat = page.locator('.ant-statistic', { has: page.locator('.ant-statistic-title', { hasText: title }) });
    await stat.locator('.ant-statistic-content-value').waitFor();
    return vnInt(await stat.locator('.ant-statistic-content-value').innerText());
  }

  /** Every figure of the dashboard for `rootId` equals the reports API for the same subtree and day. */
  async function expectFiguresEqualApi(page: Page, rootId: number): Promise<any> {
    const [progress, contents, overdue] = await Promise.all([
      api(`/api/reports/progress?rootId=${rootId}`),
      api(`/api/reports/contents?rootId=${rootId}&pageSize=1`),
      api(`/api/reports/overdue?rootId=${rootId}&pageSize=10`),
    ]);
    expect(progress.asOf).toBe(today);
    await page.getByText(`Số liệu tính đến ngày ${today.split('-').reverse().join('/')}`).waitFor();
    // Wait until the page shows this subtree (the previous one's figures stay while the next load).
    await page
      .getByRole('table', { name: 'Bảng tiến độ theo đơn vị trực thuộc' })
      .getByRole('link', { name: `Xem tiến độ của ${progress.rows[0].name}` })
      .waitFor();
    const units = progress.rows.reduce((n: number, r: any) => n + r.units, 0);
    const doneAll = progress.rows.reduce((n: number, r: any) => n + r.completedAllSteps, 0);
    expect(await figure(page, 'Số đơn vị')).toBe(contents.summary.units);
    expect(await figure(page, 'Đã tổ chức đại hội')).toBe(contents.summary.congressesHeld);
    expect(await figure(page, 'Hoàn thành đủ nội dung đại hội')).toBe(contents.summary.completedAll);
    expect(await figure(page, 'Hoàn thành tất cả các bước')).toBe(doneAll);
    expect(await figure(page, 'Bước quá hạn')).toBe(overdue.total);
    const approvalLate = progress.rows.reduce(
      (n: number, r: any) => n + r.steps.reduce((m: number, s: any) => m + s.awaitingApprovalOverdue, 0),
      0,
    );
    expect(await figure(page, 'Hồ sơ quá hạn phê duyệt')).toBe(approvalLate);
    expect(units).toBeGreaterThan(0);

    // The headline figures by congress format: one line per format, as summary.byType says.
    const byType = page.getByRole('table', { name: 'Bảng số liệu theo hình thức đại hội' });
    const formats: [string, string][] = [
      ['full', 'Đại hội 4 nội dung'],
      ['three_contents', 'Đại hội 3 nội dung'],
      ['two_contents', 'Đại hội 2 nội dung'],
    ];
    for (const [type, label] of formats) {
      const cells = await byType.getByRole('row').filter({ hasText: label }).getByRole('cell').allInnerTexts();
      const x = contents.summary.byType[type];
      expect([type, ...cells.slice(1, 4).map(vnInt)]).toEqual([type, x.units, x.congressesHeld, x.completedAll]);
    }

    // One line per child in the table beside the bar chart: units, finished all steps, overdue steps.
    const table = page.getByRole('table', { name: 'Bảng tiến độ theo đơn vị trực thuộc' });
    for (const r of progress.rows) {
      const line = table.getByRole('row').filter({ has: page.getByRole('link', { name: `Xem tiến độ của ${r.name}` }) });
      const cells = await line.getByRole('cell').allInnerTexts();
      const overdueSteps = r.steps.reduce((n: number, s: any) => n + s.overdue, 0);
      expect([vnInt(cells[1]), vnInt(cells[3]), vnInt(cells[4])]).toEqual([r.units, r.completedAllSteps, overdueSteps]);
    }
    // The 15 steps × status matrix: each step's counts summed over the children.
    const matrix = page.getByRole('table', { name: 'Bảng 15 bước theo trạng thái' });
    for (const no of [1, 2, 7]) {
      const sum = (f: string) => progress.rows.reduce((n: number, r: any) => n + r.steps[no - 1][f], 0);
      const cells = await matrix.getByRole('row').nth(no).getByRole('cell').allInnerTexts();
      expect(cells.map(vnInt)).toEqual([
        no,
        sum('completed'),
        sum('skipped'),
        sum('awaitingApproval'),
        sum('inProgress'),
        sum('returned'),
        sum('notStarted'),
        sum('overdue'),
      ]);
    }
    // The overdue list: oldest first, each unit with its parent.
    for (const item of overdue.items.slice(0, 3)) {
      await page.getByRole('row').filter({ hasText: item.name }).filter({ hasText: item.parentName }).first().waitFor();
    }
    return progress;
  }

  async function download(page: Page, link: string): Promise<Buffer> {
    const [file] = await Promise.all([
      page.waitForEvent('download'),
      page
        .getByRole('link', { name: new RegExp(`${link}$`) })
        .first()
        .click(),
    ]);
    return readFileSync((await (file as Download).path())!);
  }

  beforeAll(async () => {
    ensureWebBuilt();
    t = await startTestApp({ WEB_DIST_DIR: WEB_DIST });
    ({ ids } = await plannedTree(t, TREE));
    token = await t.loginAs('supervisor', ids.TB, SUPERVISOR);
    // Progress of all kinds: Vũ Thư well ahead, Kiến Xương started, the city behind and late.
    await t.db.query(`UPDATE unit_steps SET due_date = NULL WHERE due_date IS NOT NULL`);
    for (const code of Object.keys(ids).filter((c) => c.startsWith('TB-1-')))
      await setStatus(t, ids[code], [1, 2, 3, 4, 5, 6], 'completed');
    for (const code of Object.keys(ids).filter((c) => c.startsWith('TB-2-') && c.length === 6)) {
      await setStatus(t, ids[code], [1], 'completed');
      await setStatus(t, ids[code], [2], 'in_progress');
    }
    await setStatus(t, ids['TB-2-1'], [3], 'awaiting_approval');
    await setStatus(t, ids['TB-1-2'], [7], 'returned');
    // Step 3, which cells have too (a cell has no step 2).
    for (const code of ['TB-3-1', 'TB-3-2', 'TB-3-3-1', 'TB-2-4']) await setDue(t, ids[code], today, { 1: -5, 3: -2 });
    await setDue(t, ids['TB-1-1'], today, { 7: -1 });
    // The submission of TB-2-1 has waited past the approver's deadline.
    await t.db.query(`UPDATE unit_steps SET approval_due = $2::date - 3 WHERE unit_id = $1 AND step_no = 3`, [ids['TB-2-1'], today]);
    // Congresses held: two complete (one with content 3 not applying), one missing a content.
    // Content 3 does not apply only where the superior decided a congress without a committee election.
    const typed = await t.request('PATCH', `/api/units/${ids['TB-1-1-2']}`, {
      token: t.adminToken,
      body: { congressType: 'three_contents' },
    });
    expect(typed.status).toBe(200);
    const put = (code: string, contents: [string, string?][]) =>
      t.request('PUT', `/api/units/${ids[code]}/congress`, {
        token: t.adminToken,
        body: {
          heldOn: '2025-03-10',
          kind: 'members',
          contents: contents.map(([status, note], i) => ({ no: i + 1, status, ...(note ? { note } : {}) })),
        },
      });
    for (const [code, contents] of [
      ['TB-1-1-1', [['done'], ['done'], ['done'], ['done']]],
      ['TB-1-1-2', [['done'], ['done'], ['not_applicable', 'Chi bộ mới thành lập'], ['done']]],
      ['TB-2-1-1', [['done'], ['not_done'], ['done'], ['done']]],
    ] as [string, [string, string?][]][]) {
      expect((await put(code, contents)).status).toBe(200);
    }
    browser = await launchChromium();
    context = await newContext(browser, t.baseUrl);
    context.setDefaultTimeout(20_000);
    // One session for the suite: the supervisor of the province logs in through the form, lands on the dashboard.
    const page = await context.newPage();
    await page.goto('/login?next=%2Fdashboard');
    await logIn(page, SUPERVISOR, PASSWORD);
    await page.waitForURL('**/dashboard');
    await page.close();
  }, 300_000);

  afterAll(async () => {
    await context?.close().catch(() => undefined);
    await browser?.close();
    await t?.close();
  });

  it('the dashboard of the province: figures equal the reports API, worst child first; a click drills down', async () => {
    const page = await context.newPage();
    await page.goto('/dashboard');
    await page.getByRole('heading', { name: 'Theo dõi tiến độ' }).waitFor();
    const progress = await expectFiguresEqualApi(page, ids.TB);
    expect(await figure(page, 'Hồ sơ quá hạn phê duyệt')).toBe(1);
    await page.locator('[data-chart-ready="true"]').first().waitFor();

    // Worst first: the child with the smallest share of finished steps leads the table.
    const share = (r: any) => {
      const all = r.steps.reduce(
        (n: number, s: any) => n + s.notStarted + s.inProgress + s.awaitingApproval + s.returned + s.completed + s.skipped,
        0,
      );
      return r.steps.reduce((n: number, s: any) => n + s.completed + s.skipped, 0) / all;
    };
    const worst = [...progress.rows].sort((a, b) => share(a) - share(b))[0];
    expect(worst.name).toBe('Thành ủy Thái Bình');
    const table = page.getByRole('table', { name: 'Bảng tiến độ theo đơn vị trực thuộc' });
    await expect(table.getByRole('link').first().innerText()).resolves.toBe(worst.name);
    const shot = await visit(page, 'dashboard-province');
    mkdirSync(join(REPO, 'docs/screenshots'), { recursive: true });
    copyFileSync(shot, join(REPO, 'docs/screenshots/dashboard.png'));

    // Drill down into Vũ Thư from its line: the page becomes Vũ Thư's dashboard.
    await table.getByRole('link', { name: 'Xem tiến độ của Huyện ủy Vũ Thư' }).click();
    await page.waitForURL(`**/dashboard?rootId=${ids['TB-1']}`);
    await page.locator('.dash-root strong', { hasText: 'Huyện ủy Vũ Thư' }).waitFor();
    await expectFiguresEqualApi(page, ids['TB-1']);
    await visit(page, 'dashboard-drilldown');
    // And back up to the province.
    await page.getByRole('link', { name: /Lên cấp trên/ }).click();
    await page.waitForURL(`**/dashboard?rootId=${ids.TB}`);
    await expectFiguresEqualApi(page, ids.TB);
  });

  it('the dashboard downloads the progress in wide format (XLSX and CSV) and they read back', async () => {
    const page = await context.newPage();
    await page.goto(`/dashboard?rootId=${ids.TB}`);
    const progress = await expectFiguresEqualApi(page, ids.TB);
    const xlsx = await readXlsxReport(await download(page, 'Tải XLSX'));
    expect(xlsx.title).toBe('Tiến độ chuẩn bị đại hội theo đơn vị trực thuộc');
    expect(xlsx.subtitle).toBe(`Đơn vị: Tỉnh ủy Thái Bình (TB). Số liệu tính đến ngày ${today.split('-').reverse().join('/')}`);
    expect(xlsx.header.slice(0, 4)).toEqual(['Mã', 'Tên', 'Đơn vị cấp trên', 'Số đơn vị']);
    expect(xlsx.rows.map((r) => [r[0], r[1], r[2], r[3]])).toEqual(
      progress.rows.map((r: any) => [r.key, r.name, 'Tỉnh ủy Thái Bình', r.units]),
    );
    const csvBytes = await download(page, 'Tải CSV');
    expect([...csvBytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const csv = parseCsv(csvBytes, ';');
    expect(csv.rows.map((r) => r[1])).toEqual(progress.rows.map((r: any) => r.name));
  });

  it('/reports/contents: filter, page and download; /reports/overdue: the parent of each unit, download', async () => {
    const page = await context.newPage();
    await page.goto(`/reports/contents?rootId=${ids.TB}`);
    const table = page.getByRole('table', { name: 'Báo cáo 4 nội dung đại hội' });
    await table.getByRole('link', { name: 'Chi bộ thôn 1 xã Vũ Hội 1' }).waitFor();
    await table.getByText('Chi bộ mới thành lập').waitFor();
    expect(await table.locator('tbody tr.ant-table-row').count()).toBe(3);
    await visit(page, 'reports-contents');

    // Only the congresses that did not complete their contents.
    await page.getByLabel('Lọc theo kết quả').click();
    await page.locator('.ant-select-item-option', { hasText: 'Chưa hoàn thành đủ' }).click();
    await page.waitForFunction(() => document.querySelectorAll('table tbody tr.ant-table-row').length === 1);
    await table.getByRole('cell', { name: 'Góp ý văn kiện cấp trên', exact: true }).waitFor();
    const filtered = await readXlsxReport(await download(page, 'Tải XLSX'));
    expect(filtered.rows.map((r) => r[1])).toEqual(['Chi bộ thôn 1 xã Vũ Hội 2']);
    expect(filtered.rows[0][filtered.header.indexOf('Góp ý văn kiện cấp trên')]).toBe('Chưa thực hiện');

    await page.getByRole('tab', { name: 'Danh sách đơn vị quá hạn' }).click();
    await page.waitForURL(`**/reports/overdue?rootId=${ids.TB}`);
    const overdue = await api(`/api/reports/overdue?rootId=${ids.TB}&pageSize=20`);
    const list = page.getByRole('table', { name: 'Danh sách đơn vị quá hạn' });
    await list.getByText(overdue.items[0].name).first().waitFor();
    expect(await list.locator('tbody tr.ant-table-row').count()).toBe(Math.min(20, overdue.total));
    for (const item of overdue.items.slice(0, 5))
      await list.getByRole('row').filter({ hasText: item.name }).filter({ hasText: item.parentName }).first().waitFor();
    await visit(page, 'reports-overdue');

    // A click on a column header sorts on the server (every page): the request carries sort/order
    // and the rows come in the API's order for that sort.
    for (const [column, order] of [
      ['name', 'asc'],
      ['name', 'desc'],
    ] as const) {
      const [request] = await Promise.all([
        page.waitForRequest(
          (r) => r.url().includes('/api/reports/overdue') && r.url().includes(`sort=${column}`) && r.url().includes(`order=${order}`),
        ),
        list.locator('thead th', { hasText: /^Đơn vị$/ }).click(),
      ]);
      expect(new URL(request.url()).searchParams.get('page')).toBe('1');
      const sorted = await api(`/api/reports/overdue?rootId=${ids.TB}&pageSize=20&sort=${column}&order=${order}`);
      const want = sorted.items.map((i: any) => i.name);
      const shown = () => list.locator('tbody tr.ant-table-row td:nth-child(2)').allInnerTexts();
      // Until the new page has replaced the old one (a condition, not a timer).
      for (let i = 0; i < 100 && JSON.stringify(await shown()) !== JSON.stringify(want); i++) await page.waitForTimeout(100);
      const names = await shown();
      expect(names).toEqual(want);
    }
    const csv = parseCsv(await download(page, 'Tải CSV'), ';');
    expect(csv.header.slice(0, 3)).toEqual(['Mã đơn vị', 'Tên đơn vị', 'Đơn vị cấp trên']);
    expect(overdue.total).toBeLessThanOrEqual(20);
    expect(csv.rows).toHaveLength(overdue.total);
    expect(csv.rows.map((r) => [r[1], r[2]])).toEqual(overdue.items.map((i: any) => [i.name, i.parentName]));

    // The step filter is the API's: the total and every row are that step's, and so is the download.
    const step1 = await api(`/api/reports/overdue?rootId=${ids.TB}&pageSize=20&stepNo=1`);
    expect(step1.total).toBeGreaterThan(0);
    expect(step1.total).toBeLessThan(overdue.total);
    await page.getByRole('combobox', { name: 'Bước', exact: true }).click();
    await page.locator('.ant-select-item-option', { hasText: /^Bước 1$/ }).click();
    await page.getByText(`Tổng ${step1.total}`, { exact: true }).waitFor();
    const steps = await list.locator('tbody tr.ant-table-row td:nth-child(5)').allInnerTexts();
    expect(steps).toEqual(step1.items.map(() => '1'));
    const csv1 = parseCsv(await download(page, 'Tải CSV'), ';');
    expect(csv1.rows).toHaveLength(step1.total);
  });
});
