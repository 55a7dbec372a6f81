import { expect } from '@jest/globals';
import { mkdirSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { seriousViolations } from './accessibility.ts';
import { ARTEFACTS_DIR } from './pdf.ts';

const SIZES = { desktop: { width: 1280, height: 900 }, phone: { width: 390, height: 844 } } as const;

/**
 * The page as it stands, at desktop and phone size: a screenshot of each kept in
 * .cache/test/artefacts/ (<name>-desktop.png, <name>-phone.png) for a person to look at, and at
 * both sizes nothing wider than the window and no serious accessibility violation.
 */
export async function keepScreens(page: Page, name: string): Promise<void> {
  mkdirSync(ARTEFACTS_DIR, { recursive: true });
  const before = page.viewportSize();
  for (const [size, viewport] of Object.entries(SIZES)) {
    await page.setViewportSize(viewport);
    await page.screenshot({ path: `${ARTEFACTS_DIR}${name}-${size}.png`, fullPage: true });
    const width = await page.evaluate(() => (globalThis as any).document.documentElement.scrollWidth as number);
    expect({ page: name, size, width: width <= viewport.width }).toEqual({ page: name, size, width: true });
    expect({ page: name, size, violations: await seriousViolations(page) }).toEqual({ page: name, size, violations: [] });
  }
  if (before) await page.setViewportSize(before);
}

/** Switches the pages' language with the header's switcher, and waits for the page in it. */
export async function switchLanguage(page: Page, to: 'zh-CN' | 'en'): Promise<void> {
  if ((await page.locator('html').getAttribute('lang')) === to) return;
  await page.locator('#language button[type=submit]').click();
  await page.locator(`html[lang="${to}"]`).waitFor({ state: 'attached' });
}
