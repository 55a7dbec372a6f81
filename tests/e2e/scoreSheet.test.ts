import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { mkdirSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { createUser } from '../../app/seed.ts';
import { rubricItems } from '../../domain/evaluation/rubric.ts';
import { seriousViolations } from '../support/accessibility.ts';
import { launchChromium, logIn } from '../support/browser.ts';
import { minimalPdf, uscc } from '../support/fixtures.ts';
import { ApiClient } from '../support/http.ts';
import { ARTEFACTS_DIR } from '../support/pdf.ts';
import { Track } from '../support/track.ts';
import { TEST_PASSWORD, startTestSystem, type TestSystem } from '../support/system.ts';
import { eventually } from '../support/waits.ts';

/**
 * The 1000-point score sheet in the browser, in Chinese and in English: the enterprise fills in part
 * of it and sees the subtotals change as it chooses; saves a draft with files and evidence, reloads
 * and finds it, removes a file; hands in a partial sheet and is told every missing item by number,
 * once; completes it. The district then checks it item by item (level, points, evidence by name).
 * Screenshots at desktop and phone size are kept in .cache/test/artefacts/.
 */
const DESKTOP = { width: 1280, height: 900 };
const PHONE = { width: 390, height: 844 };

let system: TestSystem;
let browser: Browser;
const contexts: BrowserContext[] = [];

interface Walk {
  locale: 'zh-CN' | 'en';
  enterprise: string;
  district: string;
  caseId: string;
  taskId: string;
}
const walks: Walk[] = [];

/** A case of its own enterprise (in 沙溪镇), through the checklist to its open acceptance task. */
async function caseAtAcceptance(n: number, locale: Walk['locale']): Promise<Walk> {
  const enterprise = `sheet-qiye${n}@demo.local`;
  const district = `sheet-shaxi${n}@demo.local`;
  await createUser(system.app.orm, { email: enterprise, name: `填表人${n}`, role: 'enterprise', scopeId: uscc(n) }, TEST_PASSWORD);
  await createUser(system.app.orm, { email: district, name: `审核人${n}`, role: 'district_officer', scopeId: 'shaxi' }, TEST_PASSWORD);
  const track = await Track.start(system, enterprise);
  const applied = await track.apply({ uscc: uscc(n), enterpriseName: `太仓评分表示例${n}有限公司` });
  expect(applied.status).toBe(201);
  await track.admit(applied.body.id);
  await track.completeChecklist(applied.body.id);
  const task = await eventually('the acceptance task', (): Promise<{ id: string } | null> => track.task(track.enterprise, applied.body.id, 'acceptance_submission').catch(() => null), Boolean);
  return { locale, enterprise, district, caseId: applied.body.id, taskId: task!.id };
}

beforeAll(async () => {
  mkdirSync(ARTEFACTS_DIR, { recursive: true });
  system = await startTestSystem('postgresql');
  walks.push(...(await Promise.all([caseAtAcceptance(7401, 'zh-CN'), caseAtAcceptance(7402, 'en')])));
  browser = await launchChromium();
}, 600_000);
afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => undefined);
  await browser?.close();
  await system?.stop();
});

/** A signed-in page at a size, in the walk's language (the switcher in the header; kept per user). */
async function pageAs(email: string, locale: Walk['locale'], viewport: { width: number; height: number }): Promise<Page> {
  const context = await browser.newContext({ viewport, ...(viewport.width < 500 ? { isMobile: true, hasTouch: true } : {}) });
  contexts.push(context);
  const page = await context.newPage();
  await logIn(page, system.url, email, TEST_PASSWORD);
  if ((await page.locator('html').getAttribute('lang')) !== locale) {
    await page.locator('#language button[type=submit]').click();
    await page.locator(`html[lang="${locale}"]`).waitFor({ state: 'attached' });
  }
  return page;
}

const pdf = (name: string) => ({ name, mimeType: 'application/pdf', buffer: minimalPdf(name) });
const row = (id: string) => `#sheet tr[data-item="${id}"]`;
const text = (page: Page, selector: string) => page.locator(selector).first().innerText();
/** waits until the element's text is this: the script updates it after the change event */
const textBecomes = (page: Page, selector: string, expected: string) =>
  page.waitForFunction(([s, t]) => (globalThis as any).document.querySelector(s)?.textContent?.trim() === t, [selector, expected] as const);
const points = (id: string, level: 'full' | 'half' | 'zero') => rubricItems(system.program.rubric).find((i) => i.id === id)!.levels[level]!.points;
/** the whole page, and the window's view of the part the test looks at */
async function shot(page: Page, name: string, at?: string) {
  await page.screenshot({ path: `${ARTEFACTS_DIR}${name}.png`, fullPage: true });
  if (at) {
    await page.locator(at).first().scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${ARTEFACTS_DIR}${name}-view.png` });
  }
}
/** Submits with this button and waits for the page the answer brings (htmx swaps the body: the old form goes). */
async function submitWith(page: Page, button: string) {
  await page.locator('#acceptance').evaluate((form) => ((form as any).dataset.stale = 'true'));
  await page.click(button);
  await page.locator('#acceptance:not([data-stale]), #stage').first().waitFor({ state: 'attached' });
}
const noSidewaysScroll = (page: Page) => page.evaluate(() => (globalThis as any).document.documentElement.scrollWidth as number);

const WORDS = {
  'zh-CN': { missing: (id: string) => `第${id}项：请选择得分`, summary: '企业贯标工作总结报告', saveDraft: '保存草稿', more: '另有', full: '满分', required: '必选', missingDocument: '请上传企业信用管理内部评估报告' },
  en: { missing: (id: string) => `Item ${id}: required`, summary: 'Work summary report', saveDraft: 'Save draft', more: 'more, marked in the form', full: 'Full', required: 'required', missingDocument: 'Upload the internal evaluation report' },
} as const;

describe.each([0, 1])('the score sheet, walk %i', (index) => {
  let walk: Walk;
  let page: Page;
  let taskUrl: string;
  beforeAll(async () => {
    walk = walks[index]!;
    page = await pageAs(walk.enterprise, walk.locale, DESKTOP);
    taskUrl = `${system.url}/tasks/${encodeURIComponent(walk.taskId)}`;
  }, 180_000);

  test('levels are choices with their points, required; subtotals and the total change as they are chosen', async () => {
    const words = WORDS[walk.locale];
    await page.goto(taskUrl);
    await page.locator('#sheet').waitFor();
    // every item a required group of choices, each level naming its points
    await expect(page.locator('#sheet [role=radiogroup][aria-required=true]').count()).resolves.toBe(107);
    await expect(page.locator('#sheet input[type=radio]:not([required])').count()).resolves.toBe(0);
    await expect(text(page, `${row('1.1')} .required-mark`)).resolves.toBe(words.required);
    await expect(text(page, `${row('1.1')} label.level-full`)).resolves.toContain(`${words.full} · ${points('1.1', 'full')}`);
    await expect(text(page, '#sheet-total')).resolves.toBe('0');
    await expect(text(page, '#sheet-unanswered')).resolves.toBe('107');

    await page.check(`${row('1.1')} input[value=full]`);
    await textBecomes(page, '#sheet tbody[data-section="1"] [data-subtotal]', String(points('1.1', 'full')));
    await page.check(`${row('2.1')} input[value=half]`);
    await page.check(`${row('3.1')} input[value=zero]`);
    const total = points('1.1', 'full') + points('2.1', 'half');
    await textBecomes(page, '#sheet-total', String(total));
    await textBecomes(page, '#sheet-unanswered', '104');
    await expect(text(page, '#sheet tbody[data-section="2"] [data-subtotal]')).resolves.toBe(String(points('2.1', 'half')));
    await expect(text(page, '#sheet tbody[data-section="1"] [data-open]')).resolves.toBe(String(system.program.rubric.sections[0]!.items.length - 1));
    // a level changes its mind: the subtotal follows
    await page.check(`${row('1.1')} input[value=zero]`);
    await textBecomes(page, '#sheet-total', String(points('2.1', 'half')));
    await page.check(`${row('1.1')} input[value=full]`);
    await textBecomes(page, '#sheet-total', String(total));
  });

  test('a draft keeps the levels, the files and the evidence by name; a reload finds it; a file can be removed', async () => {
    const words = WORDS[walk.locale];
    await page.setInputFiles('#acceptance input[name=workSummary]', pdf('贯标工作总结报告（初稿）.pdf'));
    await page.setInputFiles(`${row('1.1')} input[type=file]`, [pdf('信用管理方针.pdf'), pdf('方针发布通知.pdf')]);
    await page.fill('#acceptance textarea[name=comment]', '内部评估报告下周补上');
    await shot(page, `desktop-${walk.locale}-score-sheet-filling`, row('2.1'));
    await submitWith(page, '#save-draft');
    await page.locator('#draft-saved').waitFor();

    await page.reload();
    await page.locator('#draft-saved').waitFor();
    await expect(page.isChecked(`${row('2.1')} input[value=half]`)).resolves.toBe(true);
    await expect(page.isChecked(`${row('3.1')} input[value=zero]`)).resolves.toBe(true);
    await expect(text(page, '#sheet-total')).resolves.toBe(String(points('1.1', 'full') + points('2.1', 'half')));
    await expect(text(page, '#sheet-unanswered')).resolves.toBe('104');
    await expect(page.locator('#acceptance textarea[name=comment]').inputValue()).resolves.toBe('内部评估报告下周补上');
    await expect(text(page, '#acceptance .file-field .kept')).resolves.toContain('贯标工作总结报告（初稿）.pdf');
    await expect(page.locator(`${row('1.1')} .evidence-files li`).allInnerTexts()).resolves.toEqual([expect.stringContaining('信用管理方针.pdf'), expect.stringContaining('方针发布通知.pdf')]);
    expect(await text(page, `${row('1.1')} .evidence-files`)).not.toMatch(/文件1|file 1/);

    // 移除 one of the item's files, then save again
    await page.locator(`${row('1.1')} .evidence-files li`, { hasText: '方针发布通知.pdf' }).locator('input[type=checkbox]').check();
    await submitWith(page, '#save-draft');
    await page.locator('#draft-saved').waitFor();
    await expect(page.locator(`${row('1.1')} .evidence-files li`).allInnerTexts()).resolves.toEqual([expect.stringContaining('信用管理方针.pdf')]);
    expect(words.saveDraft).toBe(await text(page, '#save-draft'));

    // the phone: one card per item, the levels as choices a thumb can hit, nothing wider than the screen
    const phone = await pageAs(walk.enterprise, walk.locale, PHONE);
    await phone.goto(taskUrl);
    await phone.locator('#sheet').waitFor();
    await expect(noSidewaysScroll(phone)).resolves.toBeLessThanOrEqual(PHONE.width);
    const level = await phone.locator(`${row('1.1')} label.level-full`).boundingBox();
    expect(level!.width).toBeGreaterThan(250);
    await phone.locator(row('1.1')).scrollIntoViewIfNeeded();
    await phone.screenshot({ path: `${ARTEFACTS_DIR}phone-${walk.locale}-score-sheet-draft.png` });
    await shot(phone, `phone-${walk.locale}-score-sheet-draft-full`);
    await expect(seriousViolations(page)).resolves.toEqual([]);
  });

  test('a partial sheet is refused naming each missing item once, by number, beside the item and in the error box', async () => {
    const words = WORDS[walk.locale];
    await submitWith(page, '#acceptance button[type=submit]');
    await page.locator('.error').waitFor();
    const box = await text(page, '.error');
    expect(box).toContain(words.missingDocument);
    expect(box).toContain(words.missing('1.2'));
    expect(box).not.toContain('acceptance.selfEvaluation');
    // ten lines, then how many more
    await expect(page.locator('.error li').count()).resolves.toBe(11);
    expect(box).toContain(words.more);
    await expect(text(page, `${row('1.2')}.invalid .problem`)).resolves.toBe(words.missing('1.2'));
    await expect(page.locator(`${row('1.2')} .problem`).count()).resolves.toBe(1);
    await expect(page.locator(`${row('1.1')}.invalid`).count()).resolves.toBe(0);
    // the unanswered are named in the summary, as links to the items
    await expect(page.locator('#sheet-summary [data-jump-list] a').first().getAttribute('href')).resolves.toBe('#item-1.2');
    // what was chosen and uploaded stays
    await expect(page.isChecked(`${row('2.1')} input[value=half]`)).resolves.toBe(true);
    await expect(page.locator(`${row('1.1')} .evidence-files li`).count()).resolves.toBe(1);
    await shot(page, `desktop-${walk.locale}-score-sheet-refused`, '.error');
  });

  test('completed: every item chosen, the documents uploaded; the case moves on', async () => {
    await page.setInputFiles('#acceptance input[name=internalEvaluation]', pdf('内部评估报告.pdf'));
    await page.setInputFiles('#acceptance input[name=commitmentLetter]', pdf('信用承诺书（签字盖章）.pdf'));
    // every item still open at its full level, one by one as a person would, the last through the summary's link
    const open = await page.locator('#sheet tr[data-item]:not(:has(input[type=radio]:checked))').evaluateAll((rows) => rows.map((r) => (r as any).dataset.item as string));
    await page.locator('#sheet').evaluate((sheet, ids) => {
      for (const id of ids.slice(0, -1)) (sheet as any).querySelector(`tr[data-item="${id}"] input[value=full]`).click();
    }, open);
    const last = open.at(-1)!;
    await textBecomes(page, '#sheet-unanswered', '1');
    await page.locator('#sheet-summary [data-jump-list] a').first().click();
    await page.check(`${row(last)} input[value=full]`);
    await page.locator('#sheet-summary [data-done]').waitFor({ state: 'visible' });
    await Promise.all([page.waitForURL(`${system.url}/cases/${walk.caseId}`), page.click('#acceptance button[type=submit]')]);
    await expect(page.locator('#stage').getAttribute('data-stage')).resolves.toBe('acceptance_district_check');
    const expected = 1000 - points('2.1', 'full') + points('2.1', 'half') - points('3.1', 'full');
    await expect(text(page, '#total-own')).resolves.toBe(String(expected));
  });

  test('the district checks it item by item: level, points and evidence by name', async () => {
    const district = await pageAs(walk.district, walk.locale, DESKTOP);
    const api = await ApiClient.login(system.url, walk.district, TEST_PASSWORD);
    const review = await eventually('the district check', async () => ((await api.get('/api/tasks')).body.tasks as { id: string; caseId: string; kind: string }[]).find((t) => t.caseId === walk.caseId && t.kind === 'review') ?? null, Boolean);
    await district.goto(`${system.url}/tasks/${encodeURIComponent(review!.id)}`);
    await expect(text(district, '#acceptance-files')).resolves.toContain('信用管理方针.pdf');
    await expect(text(district, '#acceptance-files')).resolves.toContain('内部评估报告.pdf');
    await district.locator('details.review-items > summary').click();
    const item = district.locator('#review-sheet tr[data-item="2.1"]');
    await item.waitFor({ state: 'visible' });
    await expect(item.locator('td.own').innerText()).resolves.toContain(String(points('2.1', 'half')));
    await expect(district.locator('#review-sheet tr[data-item="1.1"] td.evidence').innerText()).resolves.toContain('信用管理方针.pdf');
    await expect(district.locator('#review-sheet tr[data-item="1.1"] td.own').innerText()).resolves.toContain(WORDS[walk.locale].full);
    await shot(district, `desktop-${walk.locale}-acceptance-check-items`, '#review-sheet tr[data-item="2.1"]');
    const phone = await pageAs(walk.district, walk.locale, PHONE);
    await phone.goto(`${system.url}/tasks/${encodeURIComponent(review!.id)}`);
    await phone.locator('details.review-items > summary').click();
    await phone.locator('#review-sheet tr[data-item="2.1"]').scrollIntoViewIfNeeded();
    await expect(noSidewaysScroll(phone)).resolves.toBeLessThanOrEqual(PHONE.width);
    await phone.screenshot({ path: `${ARTEFACTS_DIR}phone-${walk.locale}-acceptance-check-items.png` });
    await expect(seriousViolations(district)).resolves.toEqual([]);
  });

  test('the city adjusts beside each item: the enterprise’s level, points and evidence in the same row', async () => {
    const api = await ApiClient.login(system.url, walk.district, TEST_PASSWORD);
    const check = ((await api.get('/api/tasks')).body.tasks as { id: string; caseId: string; kind: string }[]).find((t) => t.caseId === walk.caseId && t.kind === 'review')!;
    expect((await api.post(`/api/tasks/${encodeURIComponent(check.id)}/complete`, { outcome: 'approve' })).status).toBe(200);
    const cityApi = await ApiClient.login(system.url, 'city@demo.local', TEST_PASSWORD);
    const review = await eventually('the city review', async () => ((await cityApi.get('/api/tasks')).body.tasks as { id: string; caseId: string; kind: string }[]).find((t) => t.caseId === walk.caseId && t.kind === 'review') ?? null, Boolean);
    for (const [size, viewport] of [['desktop', DESKTOP], ['phone', PHONE]] as const) {
      const city = await pageAs('city@demo.local', walk.locale, viewport);
      await city.goto(`${system.url}/tasks/${encodeURIComponent(review!.id)}`);
      await city.locator('#decision details.adjust summary').click();
      const item = city.locator('#adjustments-form tr[data-item="1.1"]');
      await item.waitFor({ state: 'visible' });
      await expect(item.locator('td.own').innerText()).resolves.toContain(WORDS[walk.locale].full);
      await expect(item.locator('td.evidence').innerText()).resolves.toContain('信用管理方针.pdf');
      await expect(item.locator('select[name="adjust.1.1"] option').count()).resolves.toBe(3);
      await city.selectOption('select[name="adjust.2.1"]', 'zero');
      await city.locator('#adjustments-form tr[data-item="2.1"]').scrollIntoViewIfNeeded();
      await expect(noSidewaysScroll(city)).resolves.toBeLessThanOrEqual(viewport.width);
      await city.screenshot({ path: `${ARTEFACTS_DIR}${size}-${walk.locale}-unified-acceptance-adjust-view.png` });
      if (size === 'desktop') await expect(seriousViolations(city)).resolves.toEqual([]);
    }
  });
});
