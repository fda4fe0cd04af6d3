import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { ImportRow } from '../factories/tree';
import { plannedTree } from '../factories/workflow';
import { MailStack, startMailStack } from '../setup/test-worker';
import { axeViolations, ensureWebBuilt, launchChromium, logIn, newContext, screenshot, WEB_DIST } from './harness';

/**
 * The administration pages of issue 15 as an administrator of the province would use them. Every
 * page visited is checked with axe-core (no serious or critical violation) and photographed.
 */
const TREE: ImportRow[] = [
  { code: 'TB', name: 'Tỉnh ủy Thái Bình', tier: 'province', parentCode: '' },
  { code: 'TB-VT', name: 'Huyện ủy Vũ Thư', tier: 'district', parentCode: 'TB' },
  { code: 'TB-VT-VH', name: 'Đảng ủy xã Vũ Hội', tier: 'grassroots', parentCode: 'TB-VT' },
  { code: 'TB-VT-VH-1', name: 'Chi bộ thôn Phú Mỹ', tier: 'cell', parentCode: 'TB-VT-VH' },
];
const PASSWORD = 'password-123';
const ADMIN = 'quan.tri@thaibinh.test.vn';

describe('administration pages in Chromium', () => {
  let stack: MailStack;
  let browser: Browser;
  let base: string;
  let ids: Record<string, number>;
  const contexts: BrowserContext[] = [];
  const files = mkdtempSync(join(tmpdir(), 'admin-import-'));

  async function visit(page: Page, name: string, fullPage = true): Promise<void> {
    await screenshot(page, name, fullPage);
    expect(await axeViolations(page, name)).toEqual([]);
  }

  async function signedIn(email: string): Promise<Page> {
    const c = await newContext(browser, base);
    c.setDefaultTimeout(15_000);
    contexts.push(c);
    const page = await c.newPage();
    await page.goto('/login');
    await logIn(page, email, PASSWORD);
    await page.waitForURL((u) => !u.pathname.startsWith('/login'));
    return page;
  }

  const unitCount = async (): Promise<number> => (await stack.t.db.query(`SELECT count(*)::int AS n FROM units`)).rows[0].n;

  function csv(name: string, lines: string[]): string {
    const path = join(files, name);
    writeFileSync(path, '\uFEFF' + ['code,name,tier,parentCode,contactEmails', ...lines].join('\r\n') + '\r\n');
    return path;
  }

  beforeAll(async () => {
    ensureWebBuilt();
    stack = await startMailStack({ env: { WEB_DIST_DIR: WEB_DIST } });
    base = stack.t.baseUrl;
    ({ ids } = await plannedTree(stack.t, TREE));
    await stack.t.loginAs('admin', stack.t.rootUnitId, ADMIN);
    browser = await launchChromium();
  });

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await stack?.close();
  });

  describe('/admin/import', () => {
    it('an import with bad rows shows each error (row, column, reason in Vietnamese) and writes nothing', async () => {
      const page = await signedIn(ADMIN);
      await page.goto('/admin/import');
      await page.getByRole('heading', { name: 'Nhập danh sách đơn vị' }).waitFor();
      await page.getByRole('button', { name: 'Tải file mẫu (CSV)' }).waitFor();
      await visit(page, 'admin-import');

      const before = await unitCount();
      const bad = csv('loi.csv', [
        'TB-VT-VT,Đảng ủy xã Vũ Tiến,grassroots,TB-VT,',
        'TB-VT-ML,,grassroots,TB-VT,',
        'TB-VT-SL,Đảng ủy xã Song Lãng,xa,TB-VT,',
        'TB-VT-HH,Đảng ủy xã Hồng Lý,grassroots,KHONG-CO,',
        'TB-VT-VT,Đảng ủy xã Vũ Tiến (lặp),grassroots,TB-VT,',
      ]);
      await page.locator('input[type=file]').setInputFiles(bad);
      const table = page.getByRole('table');
      await page.getByText('Không nhập được: không có đơn vị nào được ghi').waitFor();
      await table.waitFor();
      const rows = await table.locator('tbody tr').allInnerTexts();
      const cells = rows.map((r) => r.split('\t').map((c) => c.trim()));
      expect(cells).toEqual([
        ['2', 'Tên đơn vị (name)', 'Bắt buộc phải nhập'],
        ['3', 'Cấp (tier)', 'Cấp phải là một trong: central, province, district, grassroots, cell'],
        ['4', 'Mã đơn vị cấp trên (parentCode)', 'Không tìm thấy đơn vị cấp trên KHONG-CO (không có trong file và trong hệ thống)'],
        ['5', 'Mã đơn vị (code)', 'Mã TB-VT-VT bị trùng (đã có ở dòng 1)'],
      ]);
      expect(await unitCount()).toBe(before);
      await visit(page, 'admin-import-errors');
    });

    it('a good import shows the created, updated and unchanged counts, and the units are there', async () => {
      const page = await signedIn(ADMIN);
      await page.goto('/admin/import');
      const before = await unitCount();
      const good = csv('tot.csv', [
        'TB-VT,Huyện ủy Vũ Thư,district,TB,',
        'TB-VT-VH,Đảng ủy xã Vũ Hội (đổi tên),grassroots,TB-VT,',
        'TB-VT-VT,Đảng ủy xã Vũ Tiến,grassroots,TB-VT,vutien@test.vn',
        'TB-VT-ML,Đảng ủy xã Minh Lãng,grassroots,TB-VT,',
        'TB-VT-ML-1,Chi bộ thôn 1,cell,TB-VT-ML,',
      ]);
      await page.locator('input[type=file]').setInputFiles(good);
      await page.getByText('Đã nhập xong').waitFor();
      const counts = page.locator('.import-counts');
      const stat = (title: string) => counts.locator('.ant-statistic', { hasText: title }).locator('.ant-statistic-content');
      expect(await stat('Tạo mới').innerText()).toBe('3');
      expect(await stat('Cập nhật').innerText()).toBe('1');
      expect(await stat('Không thay đổi').innerText()).toBe('1');
      expect(await unitCount()).toBe(before + 3);
      const { rows } = await stack.t.db.query(`SELECT name FROM units WHERE id = $1`, [ids['TB-VT-VH']]);
      expect(rows[0].name).toBe('Đảng ủy xã Vũ Hội (đổi tên)');
      // The operation is in the URL: coming back later shows the same outcome.
      expect(new URL(page.url()).searchParams.get('op')).toMatch(/^\d+$/);
      await page.reload();
      await page.getByText('Đã nhập xong').waitFor();
      await visit(page, 'admin-import-done');
    });

    it('the template downloads as a CSV with the import columns', async () => {
      const page = await signedIn(ADMIN);
      await page.goto('/admin/import');
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('button', { name: 'Tải file mẫu (CSV)' }).click(),
      ]);
      expect(download.suggestedFilename()).toBe('mau-nhap-don-vi.csv');
      const path = join(files, 'mau.csv');
      await download.saveAs(path);
      const text = readFileSync(path, 'utf8');
      expect(text.replace(/^\uFEFF/, '').split('\r\n')[0]).toBe('code,name,tier,parentCode,contactEmails');
    });
  });
});
