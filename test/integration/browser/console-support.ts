import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { SCREENSHOTS } from '../../support/browser';

/**
 * What the console's browser tests share: a context in which axe-core can be injected (the
 * console's CSP allows no script, so the test context bypasses it), signing in, axe checks and
 * screenshots.
 */
const ROOT = join(__dirname, '..', '..', '..');
const AXE = join(ROOT, 'node_modules', 'axe-core', 'axe.min.js');

export async function newConsoleContext(browser: Browser): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: { width: 1100, height: 900 }, bypassCSP: true });
  const page = await context.newPage();
  return { context, page };
}

export async function signIn(page: Page, apiUrl: string, key: string, staff: string): Promise<void> {
  await page.goto(`${apiUrl}/console`);
  await page.getByLabel(/API key|API-nøkkel/).fill(key);
  await page.getByLabel(/Your name|Ditt navn/).fill(staff);
  await page.getByRole('button', { name: /^(Sign in|Logg inn)$/ }).click();
  await page.locator('#staff').waitFor();
}

/** axe-core's serious and critical violations on the page as it is now (rule id and where). */
export async function seriousViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ path: AXE });
  type AxeResult = { violations: { id: string; impact: string | null; nodes: { target: unknown[] }[] }[] };
  const result = await page.evaluate(() => (globalThis as unknown as { axe: { run(): Promise<AxeResult> } }).axe.run());
  return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes.map((n) => JSON.stringify(n.target)).join(', ')}`);
}

/** Into .data/screenshots always, and into docs/ (the README's pictures) when DOCS_SCREENSHOTS=1. */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
  if (process.env.DOCS_SCREENSHOTS === '1') await page.screenshot({ path: join(ROOT, 'docs', `${name}.png`), fullPage: true });
}

/** The fields of the form around `selector`, as the browser would send them. */
export function formFields(page: Page, selector: string): Promise<Record<string, string>> {
  // Hidden and visible inputs alike (no FormData: the test code has no DOM types).
  return page.locator(selector).evaluate((el) => {
    const form = (el as unknown as { closest(s: string): { querySelectorAll(s: string): ArrayLike<{ name: string; value: string }> } }).closest('form');
    return Object.fromEntries(Array.from(form.querySelectorAll('input[name], textarea[name]')).map((i) => [i.name, i.value]));
  });
}

/** On a payment's console page: capture everything left, with a reason, confirmed. */
export async function captureAll(page: Page, apiUrl: string, reference: string): Promise<void> {
  await page.goto(`${apiUrl}/console/payments/123456/${reference}`);
  await page.locator('#capture-reason').fill('Shipped');
  await page.locator('#capture-reason').locator('xpath=ancestor::form').getByRole('button').click();
  await page.locator('#confirm').click();
  await page.locator('#notice').waitFor();
}
