import AxeBuilder from '@axe-core/playwright';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

export const REPO = resolve(__dirname, '../..');
export const WEB_DIST = join(REPO, 'apps/web/dist');
export const SCREENSHOTS = join(__dirname, 'screenshots');
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** The suite needs the built app; `npm run build` makes it, a bare `npm run test:browser` builds it here once. */
export function ensureWebBuilt(): void {
  if (existsSync(join(WEB_DIST, 'index.html'))) return;
  execFileSync('npx', ['vite', 'build', '--config', 'apps/web/vite.config.mts', '--logLevel', 'warn'], { cwd: REPO, stdio: 'inherit' });
}

/**
 * Debian's Chromium, headless, with the flags of UI.md. Playwright gives every launch a fresh,
 * temporary profile (it refuses an explicit --user-data-dir outside launchPersistentContext), so no
 * state survives from one run to the next.
 */
export function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM))
    throw new Error(`Chromium is not installed at ${CHROMIUM}: apt-get install -y chromium (or set CHROMIUM_PATH)`);
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

export const DESKTOP = { width: 1366, height: 768 };
export const PHONE = { width: 375, height: 812 };

export function newContext(browser: Browser, baseURL: string, phone = false): Promise<BrowserContext> {
  return browser.newContext({
    baseURL,
    viewport: phone ? PHONE : DESKTOP,
    locale: 'vi-VN',
    timezoneId: 'Asia/Ho_Chi_Minh',
    isMobile: phone,
    hasTouch: phone,
    deviceScaleFactor: 1,
  });
}

export interface AxeFinding {
  page: string;
  id: string;
  impact: string | null | undefined;
  help: string;
  targets: string[];
}

/** Every serious or critical axe-core violation on the page as it is now (WCAG 2.1 A/AA rules and best practices). */
export async function axeViolations(page: Page, name: string): Promise<AxeFinding[]> {
  const result = await new AxeBuilder({ page }).analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({ page: name, id: v.id, impact: v.impact, help: v.help, targets: v.nodes.slice(0, 5).map((n) => n.target.join(' ')) }));
}

/** Saves test/browser/screenshots/<name>.png: the whole page, or the viewport (for a dialog over the page). */
export async function screenshot(page: Page, name: string, fullPage = true): Promise<string> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const path = join(SCREENSHOTS, `${name}.png`);
  // Let antd's transitions (messages, tabs, modals) finish so the picture shows the settled page.
  await page.waitForTimeout(350);
  await page.screenshot({ path, fullPage, animations: 'disabled' });
  return path;
}

/** The login form of the app: Email, Mật khẩu, Đăng nhập. */
export async function logIn(page: Page, email: string, password: string): Promise<void> {
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Mật khẩu').fill(password);
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
}
