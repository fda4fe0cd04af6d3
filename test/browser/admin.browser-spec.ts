import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { ImportRow } from '../factories/tree';
import { dueDates, plannedTree, setCongressDate } from '../factories/workflow';
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
  // A bound, not a measure: a full page journey on a shared 2-core machine can take minutes.
  jest.setTimeout(420_000);
  let stack: MailStack;
  let browser: Browser;
  let base: string;
  let ids: Record<string, number>;
  let planId: number;
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
    ({ ids, planId } = await plannedTree(stack.t, TREE));
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
      const lines = text.replace(/^\uFEFF/, '').split('\r\n');
      expect(lines[0]).toBe('code,name,tier,parentCode,contactEmails,congressType,pilot,committeeName');
      // The examples use the values the import takes.
      const rows = lines.slice(1, -1).map((l) => l.split(','));
      expect(rows.length).toBeGreaterThan(0);
      for (const r of rows) {
        expect(r).toHaveLength(8);
        expect(['full', 'three_contents', 'two_contents']).toContain(r[5]);
        expect(['true', 'false']).toContain(r[6]);
      }
      // The help names every column, the congress formats and what they mean.
      const help = await page.getByRole('region', { name: 'Các cột của file nhập' }).innerText();
      for (const word of ['congressType', 'full', 'three_contents', 'two_contents', 'pilot', 'committeeName', 'Đại hội điểm', 'Tên cấp ủy'])
        expect(help).toContain(word);
    });
  });

  describe('/admin/users', () => {
    it('lists the users of the subtree, creates one, changes a role and disables an account', async () => {
      const editorId = (
        await stack.t.db.query(
          `INSERT INTO users (email, name, password_hash, role, unit_id)
           SELECT 'can.bo.cu@vuthu.test.vn', 'Phạm Văn Cũ', password_hash, 'editor', $1 FROM users WHERE email = $2 RETURNING id`,
          [ids['TB-VT'], ADMIN],
        )
      ).rows[0].id;
      const page = await signedIn(ADMIN);
      await page.goto('/admin/users');
      await page.getByRole('heading', { name: 'Quản lý người dùng' }).waitFor();
      const row = (text: string) => page.locator('tbody tr', { hasText: text });
      await row('can.bo.cu@vuthu.test.vn').waitFor();
      await visit(page, 'admin-users');

      // Create: Họ và tên, Email, Mật khẩu, Vai trò, Đơn vị (searched by name).
      await page.getByRole('button', { name: 'Thêm người dùng' }).click();
      const dialog = page.getByRole('dialog');
      await dialog.waitFor();
      await dialog.getByLabel('Họ và tên').fill('Lê Thị Mới');
      await dialog.getByLabel('Email').fill('le.thi.moi@vuthu.test.vn');
      await dialog.getByLabel('Mật khẩu').fill('mat-khau-rat-dai-2025');
      await dialog.getByLabel('Đơn vị').click();
      await dialog.getByLabel('Đơn vị').fill('Vũ Hội');
      await page.locator('.ant-select-item-option', { hasText: 'Đảng ủy xã Vũ Hội' }).first().click();
      await visit(page, 'admin-users-create', false);
      await dialog.getByRole('button', { name: 'Thêm người dùng' }).click();
      await dialog.waitFor({ state: 'hidden' });
      await row('le.thi.moi@vuthu.test.vn').waitFor();
      const created = await stack.t.db.query(`SELECT role, unit_id FROM users WHERE email = 'le.thi.moi@vuthu.test.vn'`);
      expect(created.rows[0]).toEqual({ role: 'editor', unit_id: ids['TB-VT-VH'] });

      // Change a role.
      await page.getByLabel('Vai trò của Phạm Văn Cũ').click();
      await page.locator('.ant-select-item-option', { hasText: 'Cán bộ phê duyệt' }).click();
      await page.getByText('Đã đổi vai trò của Phạm Văn Cũ thành Cán bộ phê duyệt').waitFor();
      expect((await stack.t.db.query(`SELECT role FROM users WHERE id = $1`, [editorId])).rows[0].role).toBe('supervisor');

      // Disable, after confirming.
      await page.getByRole('button', { name: 'Khóa tài khoản can.bo.cu@vuthu.test.vn' }).click();
      await page.getByRole('dialog').getByRole('button', { name: 'Khóa tài khoản' }).click();
      await row('can.bo.cu@vuthu.test.vn').getByText('Đã khóa').waitFor();
      expect((await stack.t.db.query(`SELECT disabled_at IS NOT NULL AS off FROM users WHERE id = $1`, [editorId])).rows[0].off).toBe(true);
      await row('can.bo.cu@vuthu.test.vn').getByRole('button', { name: 'Mở khóa can.bo.cu@vuthu.test.vn' }).waitFor();
      // The admin cannot change their own role nor disable themselves.
      expect(await row(ADMIN).locator('.ant-select-disabled').count()).toBe(1);
      expect(await row(ADMIN).getByRole('button').count()).toBe(0);
      await visit(page, 'admin-users-done');
    });
  });

  describe('/admin/plans/:id', () => {
    it('editing a deadline shows how many open steps move before saving, then moves the right due dates', async () => {
      const cell = ids['TB-VT-VH-1'];
      expect((await setCongressDate(stack.t, cell, '2025-02-05')).status).toBe(200);
      const before = await dueDates(stack.t, cell);
      const others = await Promise.all(['TB', 'TB-VT', 'TB-VT-VH'].map((c) => dueDates(stack.t, ids[c])));
      expect(before[13]).not.toBe('2025-02-03');

      const page = await signedIn(ADMIN);
      await page.goto(`/admin/plans/${planId}`);
      await page.getByRole('heading', { name: /^Kế hoạch: / }).waitFor();
      await page.getByRole('button', { name: 'Sửa hạn bước 13' }).waitFor();
      await visit(page, 'admin-plan');

      await page.getByRole('button', { name: 'Sửa hạn bước 13' }).click();
      const dialog = page.getByRole('dialog');
      await dialog.waitFor();
      await dialog.getByLabel('Cách tính hạn (Chi bộ)').click();
      await page.locator('.ant-select-item-option', { hasText: 'Theo ngày đại hội' }).last().click();
      await dialog.getByLabel('Số ngày so với ngày đại hội (Chi bộ)').fill('-10');
      await dialog.getByLabel('Tính ngày làm việc (Chi bộ)').uncheck();
      // Lưu waits for the preview.
      expect(await dialog.getByRole('button', { name: 'Lưu' }).isDisabled()).toBe(true);
      await dialog.getByRole('button', { name: 'Xem trước ảnh hưởng' }).click();
      await dialog.getByText(/^1 trong \d+ bước đang mở sẽ đổi hạn$/).waitFor();
      const example = dialog.getByRole('table').locator('tbody tr');
      expect(await example.count()).toBe(1);
      expect((await example.innerText()).split('\t').map((c) => c.trim())).toEqual([
        'Chi bộ thôn Phú Mỹ (TB-VT-VH-1)',
        before[13]!.split('-').reverse().join('/'),
        '03/02/2025', // 5/2 − 10 days is Sun 26/1/2025, then Tết: moved to the next working day
      ]);
      // Nothing saved yet.
      expect((await dueDates(stack.t, cell))[13]).toBe(before[13]);
      await visit(page, 'admin-plan-preview', false);

      await dialog.getByRole('button', { name: 'Lưu' }).click();
      await dialog.waitFor({ state: 'hidden' });
      await page.getByText('Đã lưu thời hạn bước 13').waitFor();
      expect((await dueDates(stack.t, cell))[13]).toBe('2025-02-03');
      // Only that step of that unit moved.
      const after = await dueDates(stack.t, cell);
      for (let no = 1; no <= 15; no++) if (no !== 13) expect({ no, due: after[no] }).toEqual({ no, due: before[no] });
      expect(await Promise.all(['TB', 'TB-VT', 'TB-VT-VH'].map((c) => dueDates(stack.t, ids[c])))).toEqual(others);
      // The table shows the new rule.
      await page.getByRole('row', { name: /^13 / }).getByText('10 ngày trước đại hội').waitFor();
    });
  });

  describe('/admin/holidays', () => {
    it('shows the calendar of a year; a holiday is added and removed', async () => {
      const page = await signedIn(ADMIN);
      await page.goto('/admin/holidays');
      await page.getByRole('heading', { name: 'Lịch ngày nghỉ lễ' }).waitFor();
      await page.getByLabel('Ngày', { exact: true }).fill('12/02/2025');
      await page.getByText('Lịch đã có các năm 2024–2026').waitFor();
      await page.getByLabel('Tên ngày', { exact: true }).fill('Nghỉ bù Tết');
      await page.getByRole('button', { name: 'Thêm ngày' }).click();
      const row = page.locator('tbody tr', { hasText: 'Nghỉ bù Tết' });
      await row.waitFor();
      expect((await row.innerText()).split('\t').map((c) => c.trim())).toEqual(['12/02/2025', 'Thứ tư', 'Nghỉ bù Tết', 'Ngày nghỉ', 'Xóa']);
      const stored = await stack.t.db.query(`SELECT name, kind FROM holidays WHERE date = '2025-02-12'`);
      expect(stored.rows).toEqual([{ name: 'Nghỉ bù Tết', kind: 'holiday' }]);
      await visit(page, 'admin-holidays');
      await page.getByRole('button', { name: 'Xóa ngày 12/02/2025' }).click();
      await row.waitFor({ state: 'detached' });
      expect((await stack.t.db.query(`SELECT 1 FROM holidays WHERE date = '2025-02-12'`)).rowCount).toBe(0);
    });

    it('a make-up working day (Ngày làm bù) is added with its kind and shown as such', async () => {
      const page = await signedIn(ADMIN);
      await page.goto('/admin/holidays');
      await page.getByRole('heading', { name: 'Lịch ngày nghỉ lễ' }).waitFor();
      await page.getByLabel('Ngày', { exact: true }).fill('15/02/2025');
      await page.getByLabel('Tên ngày', { exact: true }).fill('Làm bù thử');
      await page.getByLabel('Loại', { exact: true }).click();
      await page.locator('.ant-select-item-option', { hasText: 'Ngày làm bù' }).last().click();
      await page.getByRole('button', { name: 'Thêm ngày' }).click();
      const row = page.locator('tbody tr', { hasText: 'Làm bù thử' });
      await row.waitFor();
      expect((await row.innerText()).split('\t').map((c) => c.trim())).toEqual([
        '15/02/2025',
        'Thứ bảy',
        'Làm bù thử',
        'Ngày làm bù',
        'Xóa',
      ]);
      const stored = await stack.t.db.query(`SELECT kind FROM holidays WHERE date = '2025-02-15'`);
      expect(stored.rows).toEqual([{ kind: 'workday' }]);
      await page.getByRole('button', { name: 'Xóa ngày 15/02/2025' }).click();
      await row.waitFor({ state: 'detached' });
    });
  });
});
