import { afterAll, beforeAll, describe, expect, jest, test } from '@jest/globals';
import type { Browser, Page } from 'playwright-core';
import { createUser } from '../../app/seed.ts';
import { launchChromium, logIn } from '../support/browser.ts';
import { Demonstration, localDateTimeIn } from '../support/demonstration.ts';
import { uscc } from '../support/fixtures.ts';
import { ApiClient } from '../support/http.ts';
import { keepScreens, switchLanguage } from '../support/officeScreens.ts';
import { TEST_PASSWORD, startTestSystem, type TestSystem } from '../support/system.ts';
import { Track } from '../support/track.ts';
import { SLOW_MACHINE_TIMEOUT_MS, eventually } from '../support/waits.ts';

jest.setTimeout(SLOW_MACHINE_TIMEOUT_MS);

/**
 * The offices' pages and the public ones, in Chinese and in English, each kept as a screenshot at
 * desktop and phone size: 汇总报送 (the district forwards in a batch), 推荐名额, 验收安排 (Suzhou sets
 * the acceptance date of a demonstration case, then moves it), 通知设置, the generated document's
 * page, and without login 公示 (an objection filed) and 证书核验.
 */
let system: TestSystem;
let browser: Browser;
let page: Page;
const ids = { forwardZh: '', forwardEn: '', recommend: '', accept: '', printed: '' };
const CERTIFICATE = '太贯〔2024〕4104';

async function enterprise(n: number, name: string) {
  const email = `office${n}@demo.local`;
  await createUser(system.app.orm, { email, name: `联系人${n}（${name}）`, role: 'enterprise', scopeId: uscc(n) }, TEST_PASSWORD);
  return { track: await Track.start(system, email), overrides: { uscc: uscc(n), enterpriseName: name } };
}

/** Two 贯标 cases approved by the district, waiting for its batch. */
async function waitingForTheBatch() {
  for (const [key, n, name] of [['forwardZh', 4101, '汇总测试一有限公司'], ['forwardEn', 4102, '汇总测试二有限公司']] as const) {
    const { track, overrides } = await enterprise(n, name);
    ids[key] = (await track.apply(overrides)).body.id;
    expect((await track.complete(track.district, ids[key], { outcome: 'approve' }, 'review')).status).toBe(200);
  }
  // the demo enterprise's application, for its generated form
  const own = await Track.start(system);
  ids.printed = (await own.apply()).body.id;
}

/** Two municipal demonstration cases: one waiting for the district's recommendation, one for its acceptance date. */
async function demonstrations() {
  const demo = await Demonstration.start(system);
  const recommend = await demo.enterpriseUser(4103);
  const accept = await demo.enterpriseUser(4104);
  await demo.importCertificates([
    { uscc: recommend.uscc, track: 'standard', number: '太贯〔2024〕4103', issuedOn: '2024-06-01' },
    { uscc: accept.uscc, track: 'standard', number: CERTIFICATE, issuedOn: '2024-06-01' },
  ]);
  ids.recommend = (await demo.apply('municipal-demo', recommend.client, { uscc: recommend.uscc, enterpriseName: '推荐测试三股份有限公司' })).body.id;
  const applied = await demo.apply('municipal-demo', accept.client, { uscc: accept.uscc, enterpriseName: '验收测试四股份有限公司' });
  expect(applied.status).toBe(201);
  ids.accept = applied.body.id;
  // the helper's steps act as "the enterprise": this one
  demo.clients.set('qiye@demo.local', accept.client);
  await demo.recommend(ids.accept, 'municipal-demo');
  await demo.contract(ids.accept);
  await demo.creation(ids.accept);
  await demo.applicationPackage(ids.accept);
  await demo.task(demo.prefecture, ids.accept, 'acceptance');
  return demo;
}

let demo: Demonstration;

beforeAll(async () => {
  system = await startTestSystem('postgresql');
  [, demo] = await Promise.all([waitingForTheBatch(), demonstrations()]);
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
}, 900_000);
afterAll(async () => {
  await browser?.close();
  await system?.stop();
});

const heading = () => page.locator('main h1').first().innerText();
const rowOf = (table: string, caseId: string) => page.locator(`${table} tr[data-case-id="${caseId}"]`);

describe('汇总报送: the district forwards in batches', () => {
  test('in Chinese: the waiting cases ticked and forwarded; the batch names the person once', async () => {
    await logIn(page, system.url, 'shaxi@demo.local', TEST_PASSWORD);
    await page.goto(`${system.url}/batches`);
    await expect(heading()).resolves.toBe('汇总报送');
    await expect(rowOf('#waiting', ids.forwardZh).innerText()).resolves.toContain('汇总测试一有限公司');
    await keepScreens(page, 'office-batches-zh');
    await rowOf('#waiting', ids.forwardZh).locator('input[type=checkbox]').check();
    await page.click('#forward button[type=submit]');
    await expect(page.locator('#notice').innerText()).resolves.toBe('已汇总报送市经信委，批次见下表。');
    const batch = page.locator('#batches tbody tr').first();
    await expect(batch.innerText()).resolves.toContain('汇总测试一有限公司');
    // the district stands in its own column: the person who forwarded is named without it again
    await expect(batch.locator('td').nth(3).innerText()).resolves.toBe('陈静');
    await expect(batch.locator('td').nth(1).innerText()).resolves.toBe('沙溪镇');
    await keepScreens(page, 'office-batches-forwarded-zh');
  });

  test('in English', async () => {
    await switchLanguage(page, 'en');
    await expect(heading()).resolves.toBe('Forward in batches');
    await expect(page.locator('#waiting thead').innerText()).resolves.toContain('Approved by the district');
    await rowOf('#waiting', ids.forwardEn).locator('input[type=checkbox]').check();
    await page.click('#forward button[type=submit]');
    await expect(page.locator('#notice').innerText()).resolves.toBe('Forwarded to the city office; the batch is listed below.');
    await expect(page.locator('#batches').innerText()).resolves.toContain('City review');
    await keepScreens(page, 'office-batches-en');
    await switchLanguage(page, 'zh-CN');
  });
});

describe('推荐名额: what is left of each quota, and who waits', () => {
  test('in Chinese and in English', async () => {
    await page.goto(`${system.url}/recommendations`);
    await expect(heading()).resolves.toBe('推荐名额');
    await expect(page.locator('#quotas tr[data-track="municipal-demo"][data-stage="district_recommendation"]').innerText()).resolves.toContain('沙溪镇');
    await expect(page.locator('#waiting-recommendations').innerText()).resolves.toContain('推荐测试三股份有限公司');
    await keepScreens(page, 'office-recommendations-zh');
    await switchLanguage(page, 'en');
    await expect(heading()).resolves.toBe('Recommendation quotas');
    await expect(page.locator('#waiting-recommendations').innerText()).resolves.toContain('District recommendation');
    await expect(page.locator('#quotas thead').innerText()).resolves.toContain('Left');
    await keepScreens(page, 'office-recommendations-en');
    await switchLanguage(page, 'zh-CN');
  });
});

describe('通知设置 and a generated document', () => {
  test('the enterprise saves its digest in Chinese, reads the page in English', async () => {
    await logIn(page, system.url, 'qiye@demo.local', TEST_PASSWORD);
    await page.goto(`${system.url}/me`);
    await expect(heading()).resolves.toBe('通知设置');
    await page.check('#preferences input[name=digest]');
    await page.click('#preferences button[type=submit]');
    await expect(page.locator('#saved').innerText()).resolves.toBe('已保存。');
    await keepScreens(page, 'office-me-zh');
    // the switcher brings a page it can open again back to it: the page, not the form's answer
    await page.goto(`${system.url}/me`);
    await switchLanguage(page, 'en');
    await expect(heading()).resolves.toBe('Notifications');
    await expect(page.locator('#calendar h2').innerText()).resolves.toBe('Calendar subscription');
    await keepScreens(page, 'office-me-en');
    await switchLanguage(page, 'zh-CN');
  });

  test('the page of a generated form, in both languages', async () => {
    const enterprise = await ApiClient.login(system.url, 'qiye@demo.local', TEST_PASSWORD);
    expect([201, 202]).toContain((await enterprise.post(`/api/cases/${encodeURIComponent(ids.printed)}/documents/application_form`, {})).status);
    const documentPage = `${system.url}/cases/${encodeURIComponent(ids.printed)}/documents/application_form`;
    await eventually('the form printed', async () => (await enterprise.get(`/api/cases/${encodeURIComponent(ids.printed)}/documents/application_form`)).body.status, (s) => s === 'ready');
    await page.goto(documentPage);
    await expect(heading()).resolves.toBe('江苏省信用管理贯标企业申报表（附件2）');
    await expect(page.locator('#ready').innerText()).resolves.toMatch(/^已生成（\d{4}年\d+月\d+日 \d{2}:\d{2}）。 下载 PDF$/);
    await keepScreens(page, 'office-document-zh');
    await switchLanguage(page, 'en');
    await expect(heading()).resolves.toBe('Application form, Jiangsu credit-management standard compliance (attachment 2)');
    await expect(page.locator('#ready').innerText()).resolves.toMatch(/^Generated \(\d+ \w+ \d{4} at \d{2}:\d{2}\)\. Download the PDF$/);
    await keepScreens(page, 'office-document-en');
    await switchLanguage(page, 'zh-CN');
  });
});

describe('验收安排: Suzhou sets the acceptance date, then moves it', () => {
  test('in Chinese: the case waits with its date to be announced; one date and place for it', async () => {
    await logIn(page, system.url, 'suzhou@demo.local', TEST_PASSWORD);
    await page.goto(`${system.url}/acceptance-schedules`);
    await expect(heading()).resolves.toBe('验收安排');
    await expect(rowOf('#waiting-acceptance', ids.accept).innerText()).resolves.toContain('另行通知');
    await rowOf('#waiting-acceptance', ids.accept).locator('input[type=checkbox]').check();
    const at = localDateTimeIn(5);
    await page.fill('#schedule input[name=at]', at);
    await page.fill('#schedule input[name=place]', '苏州市信用办第一会议室');
    await keepScreens(page, 'office-schedules-zh');
    await page.click('#schedule button[type=submit]');
    const [date, time] = at.split('T');
    const [year, month, day] = date!.split('-').map(Number);
    await expect(page.locator('#notice').innerText()).resolves.toBe(`已安排 1 家企业的验收：${year}年${month}月${day}日 ${time}，苏州市信用办第一会议室。`);
    await expect(rowOf('#waiting-acceptance', ids.accept).innerText()).resolves.toContain(`${year}年${month}月${day}日 ${time}（可重新安排）`);
    await keepScreens(page, 'office-schedules-set-zh');
  });

  test('in English: the date set is shown and may be set again', async () => {
    await page.goto(`${system.url}/acceptance-schedules`);
    await switchLanguage(page, 'en');
    await expect(heading()).resolves.toBe('Acceptance dates');
    await expect(rowOf('#waiting-acceptance', ids.accept).innerText()).resolves.toContain('(may be set again)');
    await rowOf('#waiting-acceptance', ids.accept).locator('input[type=checkbox]').check();
    await page.fill('#schedule input[name=at]', localDateTimeIn(6));
    await page.fill('#schedule input[name=place]', 'Suzhou credit office, room 2');
    await page.click('#schedule button[type=submit]');
    await expect(page.locator('#notice').innerText()).resolves.toMatch(/^Acceptance set for 1 enterprise\(s\): \d+ \w+ \d{4} at \d{2}:\d{2}, Suzhou credit office, room 2\.$/);
    await keepScreens(page, 'office-schedules-en');
    await switchLanguage(page, 'zh-CN');
  });
});

describe('without login: 公示 and 证书核验', () => {
  test('publicity in Chinese, with an objection filed; in English', async () => {
    await eventually('the acceptance to have its date', () => demo.task(demo.prefecture, ids.accept, 'acceptance'), (t) => t.dueAt !== null);
    await demo.done(demo.prefecture, ids.accept, 'acceptance', { outcome: 'pass', comment: '验收通过。' });
    await eventually(
      'the case in publicity',
      async () => ((await fetch(`${system.url}/api/publicity`).then((r) => r.json())) as { cases: { caseId: string }[] }).cases,
      (cases) => cases.some((c) => c.caseId === ids.accept),
    );
    await page.context().clearCookies();
    await page.goto(`${system.url}/publicity`);
    await expect(heading()).resolves.toBe('信用管理示范企业公示');
    await expect(rowOf('#publicity', ids.accept).innerText()).resolves.toContain('苏州市级示范创建');
    const objection = page.locator(`details.objection[data-case-id="${ids.accept}"]`);
    await objection.locator('summary').click();
    await objection.locator('input[name=name]').fill('张三');
    await objection.locator('input[name=contact]').fill('13800000000');
    await objection.locator('textarea[name=text]').fill('该企业去年曾拖欠供应商货款，请核实其信用状况。');
    await keepScreens(page, 'office-publicity-zh');
    await objection.locator('button[type=submit]').click();
    await expect(page.locator('#notice').innerText()).resolves.toBe('异议已收到，验收单位将核查处理。谢谢！');
    await switchLanguage(page, 'en');
    await expect(heading()).resolves.toBe('Credit-management demonstration enterprises: public notice');
    await expect(rowOf('#publicity', ids.accept).innerText()).resolves.toContain('Suzhou demonstration enterprise');
    await expect(objection.locator('summary').innerText()).resolves.toBe('Object to "验收测试四股份有限公司"');
    await keepScreens(page, 'office-publicity-en');
    await switchLanguage(page, 'zh-CN');
  });

  test('a certificate checked in Chinese and in English; an unknown number', async () => {
    await page.goto(`${system.url}/verify/${encodeURIComponent(CERTIFICATE)}`);
    await expect(page.locator('#verdict').innerText()).resolves.toBe('证书有效');
    await expect(page.locator('dl.facts').innerText()).resolves.toContain('江苏省信用管理贯标企业');
    await keepScreens(page, 'office-verify-zh');
    await switchLanguage(page, 'en');
    await expect(page.locator('#verdict').innerText()).resolves.toBe('The certificate is valid');
    await expect(page.locator('dl.facts').innerText()).resolves.toContain('Jiangsu credit-management standard-compliant enterprise');
    await keepScreens(page, 'office-verify-en');
    const unknown = await page.goto(`${system.url}/verify/${encodeURIComponent('苏信用贯标〔2026〕999号')}`);
    expect(unknown!.status()).toBe(404);
    await expect(page.locator('#verdict').innerText()).resolves.toBe('No certificate numbered "苏信用贯标〔2026〕999号" was found. Please check the number, or ask the office that issued it.');
    await switchLanguage(page, 'zh-CN');
  });
});
