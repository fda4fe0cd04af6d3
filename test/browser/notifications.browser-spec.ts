import type { Browser, BrowserContext, Page } from 'playwright-core';
import { clearDueDates, notificationRows, setContacts, setDue, settle, sweep, waitUntil } from '../factories/notifications';
import { vietnamToday } from '../factories/reports';
import type { ImportRow } from '../factories/tree';
import { plannedTree } from '../factories/workflow';
import { MailStack, startMailStack } from '../setup/test-worker';
import { axeViolations, ensureWebBuilt, launchChromium, logIn, newContext, screenshot, WEB_DIST } from './harness';

/**
 * "Nhật ký thông báo" (/notifications): a reminder that could not be sent (the SMTP server was
 * away) stands out as failed; the provincial supervisor reads the log but cannot resend; the
 * administrator brings it back with "Gửi lại" once the server is back, and the row turns sent.
 * Every page is checked with axe-core and photographed.
 */
const TREE: ImportRow[] = [
  { code: 'TB', name: 'Tỉnh ủy Thái Bình', tier: 'province', parentCode: '' },
  { code: 'TB-VT', name: 'Huyện ủy Vũ Thư', tier: 'district', parentCode: 'TB' },
  { code: 'TB-VT-VH', name: 'Đảng ủy xã Vũ Hội', tier: 'grassroots', parentCode: 'TB-VT' },
  { code: 'TB-VT-VT', name: 'Đảng ủy xã Vũ Tiến', tier: 'grassroots', parentCode: 'TB-VT' },
];
const PASSWORD = 'password-123';
const ADMIN = 'quan.tri@thaibinh.test.vn';
const SUPERVISOR = 'theo.doi@thaibinh.test.vn';
const SENT_TO = 'vp.vuhoi@test.vn';
const FAILED_TO = 'vp.vutien@test.vn';

describe('"Nhật ký thông báo" in Chromium', () => {
  jest.setTimeout(300_000);
  let stack: MailStack;
  let browser: Browser;
  let ids: Record<string, number>;
  const contexts: BrowserContext[] = [];
  const today = vietnamToday();

  async function visit(page: Page, name: string): Promise<void> {
    await screenshot(page, name);
    expect(await axeViolations(page, name)).toEqual([]);
  }

  async function signedIn(email: string): Promise<Page> {
    const c = await newContext(browser, stack.t.baseUrl);
    c.setDefaultTimeout(15_000);
    contexts.push(c);
    const page = await c.newPage();
    await page.goto('/login');
    await logIn(page, email, PASSWORD);
    await page.waitForURL((u) => !u.pathname.startsWith('/login'));
    return page;
  }

  /** The log's row of a unit's reminder. */
  const rowOf = (page: Page, unitName: string) =>
    page.getByRole('table', { name: 'Bảng nhật ký thông báo' }).locator('tbody tr').filter({ hasText: unitName });

  beforeAll(async () => {
    ensureWebBuilt();
    // Two attempts: the outage below fails the mail for good quickly.
    stack = await startMailStack({ env: { WEB_DIST_DIR: WEB_DIST, MAIL_ATTEMPTS: '2' } });
    const { t, smtp } = stack;
    ({ ids } = await plannedTree(t, TREE));
    await clearDueDates(t);
    await t.loginAs('admin', t.rootUnitId, ADMIN);
    await t.loginAs('supervisor', t.rootUnitId, SUPERVISOR);
    await setContacts(t, ids['TB-VT-VH'], [SENT_TO]);
    await setContacts(t, ids['TB-VT-VT'], [FAILED_TO]);

    // Vũ Hội's reminder goes out; then the SMTP server goes away and Vũ Tiến's fails.
    await setDue(t, ids['TB-VT-VH'], today, { 4: 3 });
    await sweep(t, today);
    await smtp.waitFor('the Vũ Hội reminder', () => smtp.to(SENT_TO).length === 1);
    await settle(t);
    await smtp.down();
    await setDue(t, ids['TB-VT-VT'], today, { 4: 3 });
    await sweep(t, today);
    await waitUntil('the Vũ Tiến reminder failed', async () =>
      (await notificationRows(t, `reminder:${ids['TB-VT-VT']}:`)).some((r) => r.status === 'failed'),
    );
    browser = await launchChromium();
  });

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await stack?.close();
  });

  it('the supervisor reads the log with the failed mail highlighted, and has no resend', async () => {
    const page = await signedIn(SUPERVISOR);
    await page.getByRole('navigation', { name: 'Điều hướng chính' }).getByRole('link', { name: 'Nhật ký thông báo' }).click();
    await page.getByRole('heading', { name: 'Nhật ký thông báo' }).waitFor();
    const failed = rowOf(page, 'Đảng ủy xã Vũ Tiến');
    await failed.getByText('Gửi thất bại').waitFor();
    expect(await failed.getAttribute('class')).toContain('notif-failed');
    await rowOf(page, 'Đảng ủy xã Vũ Hội').getByText('Đã gửi').waitFor();
    expect(await rowOf(page, 'Đảng ủy xã Vũ Hội').getAttribute('class')).not.toContain('notif-failed');
    expect(await page.getByRole('button', { name: /Gửi lại/ }).count()).toBe(0);
    await visit(page, 'notifications-supervisor');
  });

  it('failed mail resent from the log', async () => {
    const { t, smtp } = stack;
    const page = await signedIn(ADMIN);
    await page.goto('/notifications');
    await page.getByRole('heading', { name: 'Nhật ký thông báo' }).waitFor();

    // Only the failed ones: Vũ Tiến's reminder, red, with its SMTP error.
    await page.getByLabel('Lọc theo trạng thái').click();
    await page.locator('.ant-select-item-option', { hasText: 'Gửi thất bại' }).click();
    const table = page.getByRole('table', { name: 'Bảng nhật ký thông báo' });
    await table.locator('tbody tr').filter({ hasText: 'Đảng ủy xã Vũ Hội' }).waitFor({ state: 'detached' });
    const failed = rowOf(page, 'Đảng ủy xã Vũ Tiến');
    await failed.getByText('Gửi thất bại').waitFor();
    expect(await failed.getAttribute('class')).toContain('notif-failed');
    expect(await failed.innerText()).toContain('Nhắc hạn');
    expect(await failed.innerText()).toContain(FAILED_TO);
    await page.getByText('1 thư gửi thất bại trên trang này').waitFor();
    await visit(page, 'notifications-failed');

    // The server is back: "Gửi lại" sends it, once, and the row turns sent.
    await smtp.up();
    expect(smtp.to(FAILED_TO)).toEqual([]);
    await page.getByLabel('Lọc theo trạng thái').click();
    await page.locator('.ant-select-item-option', { hasText: 'Mọi trạng thái' }).click();
    await failed.getByRole('button', { name: 'Gửi lại thư cho Đảng ủy xã Vũ Tiến' }).click();
    await page.getByText('Đã đưa thư vào hàng đợi để gửi lại').waitFor();
    await smtp.waitFor('the resent Vũ Tiến reminder', () => smtp.to(FAILED_TO).length >= 1);
    await rowOf(page, 'Đảng ủy xã Vũ Tiến').getByText('Đã gửi').waitFor();
    expect(await rowOf(page, 'Đảng ủy xã Vũ Tiến').getAttribute('class')).not.toContain('notif-failed');
    expect(
      await rowOf(page, 'Đảng ủy xã Vũ Tiến')
        .getByRole('button', { name: /Gửi lại/ })
        .count(),
    ).toBe(0);
    await settle(t);
    const [mail, ...more] = smtp.to(FAILED_TO);
    expect(more).toEqual([]);
    expect(mail.subject).toContain('[Nhắc hạn] Đảng ủy xã Vũ Tiến');
    expect(smtp.to(SENT_TO)).toHaveLength(1);
    await visit(page, 'notifications-resent');
  });
});
