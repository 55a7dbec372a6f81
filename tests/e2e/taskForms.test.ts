import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { mkdirSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { createUser } from '../../app/seed.ts';
import { maskResidentId } from '../../domain/identity/residentId.ts';
import { seriousViolations } from '../support/accessibility.ts';
import { launchChromium, logIn } from '../support/browser.ts';
import { applicationWithReport, residentId, upload, uscc } from '../support/fixtures.ts';
import { ApiClient } from '../support/http.ts';
import { ARTEFACTS_DIR } from '../support/pdf.ts';
import { TEST_PASSWORD, startTestSystem, type TestSystem } from '../support/system.ts';
import { Track } from '../support/track.ts';
import { eventually } from '../support/waits.ts';

/**
 * The task forms around a 贯标 case, in Chinese and in English: the district returns the
 * application with a comment and the correction form shows it first; the correction names every
 * problem at once; the city's review shows the district's opinion, Suzhou's the district's and the
 * city's; a checklist item refuses "很多人" attendees and a training in 2030, naming each field.
 */
const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 900 };
const LOCALES = ['zh-CN', 'en'] as const;
type Locale = (typeof LOCALES)[number];

let system: TestSystem;
let browser: Browser;
const contexts: BrowserContext[] = [];

/** The officers each language's run acts as: the demo's (Chinese), or officers of their own reading English. */
const OFFICERS: Record<Locale, { district: string; city: string; prefecture: string; districtPerson: string; cityPerson: string }> = {
  'zh-CN': { district: 'shaxi@demo.local', city: 'city@demo.local', prefecture: 'suzhou@demo.local', districtPerson: '陈静', cityPerson: '周涛' },
  en: { district: 'shaxi-en@demo.local', city: 'city-en@demo.local', prefecture: 'suzhou-en@demo.local', districtPerson: 'Chen Jing', cityPerson: 'Zhou Tao' },
};

const WORDS: Record<Locale, { returnedTitle: string; district: string; approveShown: string; training: string; attendees: string; trainedOn: string; idRule: string; phoneRule: string }> = {
  'zh-CN': {
    returnedTitle: '退回意见',
    district: '沙溪镇',
    approveShown: '审核通过',
    training: '开展贯标培训',
    attendees: '参训人数应为正整数',
    trainedOn: '培训日期不能晚于今天',
    idRule: '公民身份号码校验位不正确',
    phoneRule: '应为7至20位电话号码',
  },
  en: {
    returnedTitle: 'Why it was returned',
    district: '沙溪镇',
    approveShown: 'Approved',
    training: 'Hold the standard-compliance training',
    attendees: 'Number of attendees: a whole number above 0',
    trainedOn: 'Training date: not after today',
    idRule: 'GB 11643 check character does not match',
    phoneRule: 'Must be a phone number of 7 to 20 digits',
  },
};

beforeAll(async () => {
  mkdirSync(ARTEFACTS_DIR, { recursive: true });
  system = await startTestSystem('postgresql');
  const english = [
    { email: 'shaxi-en@demo.local', name: 'Chen Jing (Shaxi Economic Development Centre)', role: 'district_officer' as const, scopeId: 'shaxi' },
    { email: 'city-en@demo.local', name: 'Zhou Tao (City Commission)', role: 'city_officer' as const, scopeId: null },
    { email: 'suzhou-en@demo.local', name: 'Lin Hui (Suzhou Credit Office)', role: 'prefecture_officer' as const, scopeId: null },
  ];
  for (const user of english) {
    await createUser(system.app.orm, user, TEST_PASSWORD);
    await (await ApiClient.login(system.url, user.email, TEST_PASSWORD)).put('/api/me/preferences', { locale: 'en' });
  }
  browser = await launchChromium();
}, 300_000);
afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => undefined);
  await browser?.close();
  await system?.stop();
});

/** A person's phone and desktop, logged in. */
async function browsersOf(email: string): Promise<{ desktop: Page; phone: Page }> {
  const desktopContext = await browser.newContext({ viewport: DESKTOP });
  const phoneContext = await browser.newContext({ viewport: PHONE, isMobile: true, hasTouch: true, deviceScaleFactor: 1 });
  contexts.push(desktopContext, phoneContext);
  const pages = { desktop: await desktopContext.newPage(), phone: await phoneContext.newPage() };
  for (const page of [pages.desktop, pages.phone]) await logIn(page, system.url, email, TEST_PASSWORD);
  return pages;
}

/** The open task of the kind (and checklist item) once the workflow has opened it. */
const openTask = (track: Track, client: ApiClient, caseId: string, kind: string, subject?: string) =>
  eventually(`an open ${kind} task of ${caseId}`, () => track.task(client, caseId, kind, subject).catch(() => null), Boolean).then((task) => (task as { id: string }).id);

describe.each(LOCALES.map((locale, i) => [locale, 9311 + i] as const))('the task forms in %s', (locale, n) => {
  const words = WORDS[locale];
  const officers = OFFICERS[locale];
  const email = `tasks-${n}@demo.local`;
  let track: Track;
  let caseId = '';
  let enterprise: { desktop: Page; phone: Page };
  /** Keeps the page's screenshot for a person to look at, and checks it has no serious accessibility violation. */
  const shot = async (page: Page, name: string) => {
    await page.screenshot({ path: `${ARTEFACTS_DIR}${page.viewportSize()!.width === PHONE.width ? 'phone' : 'desktop'}-task-${name}-${locale}.png`, fullPage: true });
    expect({ name, violations: await seriousViolations(page) }).toEqual({ name, violations: [] });
  };
  const taskUrl = (id: string) => `${system.url}/tasks/${encodeURIComponent(id)}`;

  beforeAll(async () => {
    // the steps of a case over the API, taken by this run's people
    track = new Track(system);
    await createUser(system.app.orm, { email, name: `贯标联系人${n}（太仓示例${n}号机械有限公司）`, role: 'enterprise', scopeId: uscc(n) }, TEST_PASSWORD);
    const login = (who: string) => ApiClient.login(system.url, who, TEST_PASSWORD);
    [track.enterprise, track.district, track.city, track.prefecture] = await Promise.all([login(email), login(officers.district), login(officers.city), login(officers.prefecture)]);
    expect((await track.enterprise.put('/api/me/preferences', { locale })).status).toBe(200);
    const applied = await track.enterprise.post('/api/cases', { programId: system.program.id, application: await applicationWithReport(track.enterprise, { uscc: uscc(n), enterpriseName: `太仓示例${n}号机械有限公司` }) });
    expect(applied.status).toBe(201);
    caseId = applied.body.id;
    enterprise = await browsersOf(email);
  }, 300_000);

  test('the district returns the application with a comment; the correction form shows it first: office, person, time and what to change', async () => {
    const district = await browsersOf(officers.district);
    await district.desktop.goto(taskUrl(await openTask(track, track.district, caseId, 'review')));
    await district.desktop.check('#decision input[value=return]');
    await district.desktop.fill('#decision textarea[name=comment]', '主营业务请写明主要产品；联系电话请填写座机号码。');
    await district.desktop.click('#decision button[type=submit]');
    await district.desktop.waitForURL(`${system.url}/cases/${caseId}`);

    const correction = taskUrl(await openTask(track, track.enterprise, caseId, 'correct_application'));
    for (const page of [enterprise.desktop, enterprise.phone]) {
      await page.goto(correction);
      const returned = page.locator('#returned-with');
      await expect(returned.locator('h2').innerText()).resolves.toBe(words.returnedTitle);
      await expect(page.locator('#returned-comment').innerText()).resolves.toBe('主营业务请写明主要产品；联系电话请填写座机号码。');
      const by = await returned.locator('.by').innerText();
      expect(by).toContain(words.district);
      expect(by).toContain(officers.districtPerson);
      // the return comes before the form
      const [returnedTop, formTop] = await Promise.all([returned.boundingBox(), page.locator('#correction').boundingBox()]);
      expect(returnedTop!.y).toBeLessThan(formTop!.y);
      await shot(page, 'correction');
    }
  });

  test('the correction names every problem at once, then goes in', async () => {
    const page = enterprise.desktop;
    await page.fill('#correction input[name=legalRepresentativeIdNumber]', '320585197503121239');
    await page.fill('#correction input[name=contactPhone]', 'abc');
    await page.click('#correction button[type=submit]');
    await page.locator('.error').waitFor();
    await expect(page.locator('.problem[data-path="application.legalRepresentativeIdNumber"]').innerText()).resolves.toContain(words.idRule);
    await expect(page.locator('.problem[data-path="application.contactPhone"]').innerText()).resolves.toContain(words.phoneRule);
    // the return is still there to read while putting it right
    await expect(page.locator('#returned-comment').count()).resolves.toBe(1);
    await page.fill('#correction input[name=legalRepresentativeIdNumber]', maskResidentId(residentId()));
    await page.fill('#correction input[name=contactPhone]', '0512-53001234');
    await page.fill('#correction textarea[name=mainBusiness]', '精密轴承、齿轮等机械零部件的研发、生产和销售');
    await page.click('#correction button[type=submit]');
    await page.waitForURL(`${system.url}/cases/${caseId}`);
  });

  test('the city’s review shows the district’s opinion: office, person, time, decision and comment', async () => {
    expect((await track.complete(track.district, caseId, { outcome: 'approve', comment: '材料已补正，同意报送市经信委。' }, 'review')).status).toBe(200);
    expect((await track.forward(caseId)).status).toBe(201);
    const city = await browsersOf(officers.city);
    const review = taskUrl(await openTask(track, track.city, caseId, 'review'));
    for (const page of [city.desktop, city.phone]) {
      await page.goto(review);
      const approved = page.locator('#earlier-decisions li[data-stage=district_review][data-outcome=approve]');
      const text = await approved.innerText();
      expect(text).toContain('材料已补正，同意报送市经信委。');
      expect(text).toContain(words.district);
      expect(text).toContain(officers.districtPerson);
      expect(text).toContain(words.approveShown);
      // the earlier return is there too, with its comment
      await expect(page.locator('#earlier-decisions li[data-outcome=return] blockquote').innerText()).resolves.toContain('主营业务请写明主要产品');
      await shot(page, 'city-review');
    }
  });

  test('a checklist item refuses “很多人” attendees and a training in 2030, naming each field; the item’s title heads the form', async () => {
    expect((await track.complete(track.city, caseId, { outcome: 'approve', comment: '同意列入本年度贯标企业。' }, 'review')).status).toBe(200);
    const training = taskUrl(await openTask(track, track.enterprise, caseId, 'self_compliance_item', 'training'));
    for (const page of [enterprise.desktop, enterprise.phone]) {
      await page.goto(training);
      await expect(page.locator('main h1').innerText()).resolves.toContain(words.training);
      await expect(page.locator('#checklist-item input[name="field.attendees"]').getAttribute('type')).resolves.toBe('number');
      await expect(page.locator('#checklist-item input[name="field.trainedOn"]').getAttribute('type')).resolves.toBe('date');
      // the browser would refuse both itself; the server's rule is what is tested: a browser that does not check
      await page.evaluate(() => {
        const form = (globalThis as any).document.querySelector('#checklist-item');
        form.noValidate = true;
        form.querySelector('[name="field.attendees"]').type = 'text';
        form.querySelector('[name="field.trainedOn"]').type = 'text';
      });
      await page.fill('#checklist-item [name="field.trainedOn"]', '2030-05-01');
      await page.fill('#checklist-item [name="field.attendees"]', '很多人');
      await page.fill('#checklist-item [name="field.topic"]', '江苏省企业信用管理规范');
      await page.click('#checklist-item button[type=submit]');
      await page.locator('.error').waitFor();
      await expect(page.locator('.problem[data-path="fields.attendees"]').innerText()).resolves.toContain(words.attendees);
      await expect(page.locator('.problem[data-path="fields.trainedOn"]').innerText()).resolves.toContain(words.trainedOn);
      await expect(page.locator('.error li').count()).resolves.toBe(2);
      await shot(page, 'checklist-refused');
    }
    const page = enterprise.desktop;
    await page.fill('#checklist-item [name="field.trainedOn"]', '2026-06-20');
    await page.fill('#checklist-item [name="field.attendees"]', '30');
    await page.click('#checklist-item button[type=submit]');
    await page.waitForURL(`${system.url}/cases/${caseId}`);
  });

  test('Suzhou’s acceptance review shows what the district and the city decided before it', async () => {
    const fields: Record<string, Record<string, string>> = {
      working_group: { leader: '王建国（总经理）', members: '销售部、财务部、法务部负责人', dedicatedStaff: '李娜' },
      credit_department: { department: '信用管理部', duties: '客户资信管理、授信管理、商账管理' },
    };
    for (const key of ['working_group', 'work_plan', 'credit_department', 'internal_evaluation']) {
      await openTask(track, track.enterprise, caseId, 'self_compliance_item', key);
      const payload = fields[key] ? { outcome: 'done', fields: fields[key] } : { outcome: 'done', fileIds: [await upload(track.enterprise, `${key}.pdf`)] };
      expect((await track.complete(track.enterprise, caseId, payload, 'self_compliance_item', key)).status).toBe(200);
    }
    await openTask(track, track.enterprise, caseId, 'acceptance_submission');
    expect((await track.submitAcceptance(caseId)).status).toBe(200);
    await openTask(track, track.district, caseId, 'review');
    expect((await track.complete(track.district, caseId, { outcome: 'approve', comment: '验收材料齐全，同意报市经信委。' }, 'review')).status).toBe(200);
    await openTask(track, track.city, caseId, 'review');
    expect((await track.complete(track.city, caseId, { outcome: 'approve', comment: '统一验收通过，报苏州市信用办审核。' }, 'review')).status).toBe(200);
    const prefecture = await browsersOf(officers.prefecture);
    const review = taskUrl(await openTask(track, track.prefecture, caseId, 'review'));
    for (const page of [prefecture.desktop, prefecture.phone]) {
      await page.goto(review);
      await expect(page.locator('#earlier-decisions li[data-stage=acceptance_district_check]').innerText()).resolves.toContain('验收材料齐全，同意报市经信委。');
      const city = await page.locator('#earlier-decisions li[data-stage=acceptance_city_review]').innerText();
      expect(city).toContain('统一验收通过，报苏州市信用办审核。');
      expect(city).toContain(officers.cityPerson);
      await shot(page, 'suzhou-review');
    }
  });
});
