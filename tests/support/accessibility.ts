import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

const require = createRequire(import.meta.url);
/** axe-core's engine, read once; evaluated in the page through the browser's protocol, so the pages' CSP allows it. */
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/** A rule the page breaks, with the first elements that break it. */
export interface Violation {
  rule: string;
  impact: string;
  help: string;
  elements: string[];
}

/**
 * The page's serious and critical accessibility violations (WCAG 2.1 A and AA, as axe-core
 * checks them). Minor and moderate findings are not a test failure: they are looked at by hand.
 */
export async function seriousViolations(page: Page): Promise<Violation[]> {
  await page.evaluate(AXE_SOURCE);
  const found = (await page.evaluate(async () => {
    const { axe, document } = globalThis as any;
    const result = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] }, resultTypes: ['violations'] });
    return result.violations.map((v: any) => ({ rule: v.id, impact: v.impact, help: v.help, elements: v.nodes.slice(0, 3).map((n: any) => n.target.join(' ')) }));
  })) as Violation[];
  return found.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}
