import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import type { Browser, Page } from 'playwright-core';
import { DEMO_ENTERPRISE_USCC } from '../../app/seed.ts';
import { formatLocalDateTime } from '../../domain/program/calendar.ts';
import { launchChromium, logIn as logInAs } from '../support/browser.ts';
import { Demonstration, localDateTimeIn } from '../support/demonstration.ts';
import { application, minimalPdf } from '../support/fixtures.ts';
import type { ApiClient } from '../support/http.ts';
import { PageClient } from '../support/pages.ts';
import { TEST_PASSWORD, startTestSystem, type TestSystem } from '../support/system.ts';
import { eventually } from '../support/waits.ts';

/**
 * 苏州市级示范 in the browser: the enterprise applies (refused first for want of a 贯标 certificate
 * old enough, then admitted once the admin imports it), the district recommends it within its quota
 * with the recommendation form, the consultant schedules the on-site survey, the package form
 * refuses a missing item and then takes the package, the Suzhou office sets the acceptance date for
 * the waiting case, and anyone objects on the public publicity page. The steps between are taken
 * over the API.
 */
let system: TestSystem;
let demo: Demonstration;
let browser: Browser;
let page: Page;
let caseId: string;

beforeAll(async () => {
  system = await startTestSystem('postgresql');
  demo = await Demonstration.start(system);
  browser = await launchChromium();
  page = await browser.newPage();
  caseId = `case-${system.program.id}-municipal-demo-${DEMO_ENTERPRISE_USCC}`;
});
afterAll(async () => {
  await browser?.close();
  await system?.stop();
});

const logIn = (email: string) => logInAs(page, system.url, email, TEST_PASSWORD);
const pdf = (name: string) => ({ name, mimeType: 'application/pdf', buffer: minimalPdf(name) });
const form = application({ reasons: '企业信用管理体系运行良好，希望创建苏州市信用管理示范企业，发挥示范作用。' });

async function openFromInbox(kind: string) {
  await page.goto(`${system.url}/tasks`);
  await page.locator(`#inbox tr[data-kind=${kind}] a.button`).click();
  await page.waitForURL(/\/tasks\//);
}

/** The case page as the signed-in user sees it, read until a condition holds (the workflow records its steps a moment later). */
async function caseShows(selector: string, wanted: (text: string) => boolean) {
  return eventually(
    `${selector} on the case page`,
    async () => {
      await page.goto(`${system.url}/cases/${caseId}`);
      return page.locator(selector).innerText();
    },
    wanted,
  );
}

/** The pages as a user, without the browser: for reading a task's form before the step is taken over the API. */
const pageClients = new Map<string, PageClient>();
async function pagesAs(email: string): Promise<PageClient> {
  if (!pageClients.has(email)) {
    const response = await fetch(`${system.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password: TEST_PASSWORD }) });
    pageClients.set(email, PageClient.withSession(system.url, ((await response.json()) as { token: string }).token));
  }
  return pageClients.get(email)!;
}

/** The task page of the kind renders its form for the person whose task it is; its HTML, to look into. */
async function formOf(email: string, client: ApiClient, kind: string): Promise<string> {
  const task = await demo.task(client, caseId, kind);
  const { status, html } = await (await pagesAs(email)).get(`/tasks/${encodeURIComponent(task.id)}`);
  expect({ kind, status }).toEqual({ kind, status: 200 });
  expect(html).toContain(`id="task-form" data-kind="${kind}"`);
  return html;
}

async function fillApplication() {
  for (const name of ['enterpriseName', 'uscc', 'legalRepresentative', 'legalRepresentativeIdNumber', 'foundedOn', 'industry', 'registeredAddress', 'businessAddress', 'postCode', 'contactPhone', 'fax'] as const) {
    await page.fill(`#application input[name=${name}]`, String(form[name]));
  }
  await page.fill('#application input[name=registeredCapital]', String(form.registeredCapital));
  await page.selectOption('#application select[name=district]', form.district);
  await page.fill('#application textarea[name=mainBusiness]', form.mainBusiness);
  await page.fill('#application textarea[name=reasons]', form.reasons);
  await page.check('#application input[name=independentLegalPerson]');
  await page.check('#application input[name=declaresNoSeriousDishonesty]');
}

describe('a municipal demonstration case through the pages', () => {
  test('the enterprise chooses the municipal track; without a 贯标 certificate of a year the refusal names the rule, then it applies', async () => {
    await logIn('qiye@demo.local');
    await page.goto(`${system.url}/apply?track=municipal-demo`);
    await expect(page.isChecked('#tracks input[value=municipal-demo]')).resolves.toBe(true);
    await expect(page.locator('#tracks').innerText()).resolves.toContain('须通过信用管理贯标');
    await fillApplication();
    await page.setInputFiles('#application input[name=creditReport]', pdf('企业近三年信用信息查询报告.pdf'));
    await page.click('#application button[value=submit]');
    await expect(page.locator('.error').innerText()).resolves.toContain('不符合申报条件');
    await expect(page.locator('.problem[data-path=track]').innerText()).resolves.toContain('方可申报');
    // what was typed, the track and the upload stay
    await expect(page.isChecked('#tracks input[value=municipal-demo]')).resolves.toBe(true);
    await expect(page.inputValue('#application textarea[name=reasons]')).resolves.toBe(form.reasons);
    await expect(page.locator('#application .kept').count()).resolves.toBe(1);

    // the 贯标 certificate from before the system, imported by the admin
    const issuedOn = `${new Date().getFullYear() - 2}-05-10`;
    const report = await demo.importCertificates([{ uscc: DEMO_ENTERPRISE_USCC, track: 'standard', number: '苏信贯标〔2024〕第017号', issuedOn }]);
    expect(report.accepted).toHaveLength(1);
    await page.click('#application button[value=submit]');
    await page.waitForURL(`${system.url}/cases/${caseId}`);
    await expect(page.locator('#stage').getAttribute('data-stage')).resolves.toBe('district_recommendation');
    await expect(page.locator('#demo-agency').innerText()).resolves.toContain('尚未选择');
    await expect(page.locator('#package-items tr[data-present=false]').count()).resolves.toBeGreaterThan(0);
  });

  test('the district sees its quota and recommends the enterprise with the stamped recommendation form', async () => {
    await logIn('shaxi@demo.local');
    await page.click('nav a[href="/recommendations"]');
    await page.waitForURL(`${system.url}/recommendations`);
    await expect(page.locator('#quotas tr[data-track=municipal-demo] .left').innerText()).resolves.toBe('1');
    await page.locator(`#waiting-recommendations a.button`).first().click();
    await page.waitForURL(/\/tasks\//);
    await expect(page.locator('#quota-left').innerText()).resolves.toBe('1');
    await page.check('#task-form input[name=outcome][value=recommend]');
    await page.setInputFiles('#task-form input[name="material.recommendation_form"]', pdf('示范企业推荐表（盖章）.pdf'));
    await page.click('#task-form button[type=submit]');
    await page.waitForURL(`${system.url}/cases/${caseId}`);
    await caseShows('#stage', (stage) => stage.includes('市经信委择优推荐'));
    await page.goto(`${system.url}/recommendations`);
    await expect(page.locator('#quotas tr[data-track=municipal-demo] .left').innerText()).resolves.toBe('0');
    await expect(page.locator('#quotas tr[data-track=municipal-demo]').innerText()).resolves.toContain(form.enterpriseName);
  });

  test('the consultant schedules the on-site survey; the case shows the agency, the lead consultant and the filed contract', async () => {
    await formOf('city@demo.local', demo.city, 'recommend');
    await demo.done(demo.city, caseId, 'recommend', { outcome: 'recommend' });
    // the agency from the register, the lead consultant from the agency's consultants, the filing
    expect(await formOf('qiye@demo.local', demo.enterprise, 'choose_agency')).toContain('苏州示例信用服务有限公司');
    await demo.done(demo.enterprise, caseId, 'choose_agency', { outcome: 'submit', agencyId: 'agency-demo' });
    const signing = await formOf('guwen@demo.local', demo.consultant, 'sign_contract');
    expect(signing).toContain('name="consultantUserId"');
    expect(signing).toContain('李强');
    expect(signing).toContain('name="freeOfCharge"');
    await demo.sign(caseId);
    const filing = await formOf('suzhou@demo.local', demo.prefecture, 'file_contract');
    expect(filing).toContain('name="filing.number"');
    expect(filing).toContain('下载合同');
    await demo.done(demo.prefecture, caseId, 'file_contract', { outcome: 'file', filing: { number: '苏信备〔2026〕第088号', filedOn: '2026-07-01' } });
    await logIn('guwen@demo.local');
    await openFromInbox('schedule_survey');
    const at = localDateTimeIn(3);
    await page.fill('#task-form input[name="survey.at"]', at);
    await page.fill('#task-form input[name="survey.place"]', '企业三楼会议室');
    await page.click('#task-form button[type=submit]');
    await page.waitForURL(`${system.url}/cases/${caseId}`);
    await expect(page.locator('#demo-survey').innerText()).resolves.toContain('企业三楼会议室');
    // the survey's time reads as every date on the pages does
    await expect(page.locator('#demo-survey').innerText()).resolves.toContain(formatLocalDateTime(at, system.program.timeZone));
    await expect(page.locator('#demo-agency').innerText()).resolves.toContain('苏州示例信用服务有限公司');
    await expect(page.locator('#demo-consultant').innerText()).resolves.toContain('李强');
    await expect(page.locator('#demo-contract').getAttribute('data-filed')).resolves.toBe('true');
    await expect(page.locator('#demo-contract').innerText()).resolves.toContain('苏信备〔2026〕第088号');
  });

  test('the package form refuses a missing item and names it; with every item it goes in', async () => {
    const consultant = demo.consultant;
    expect(await formOf('guwen@demo.local', consultant, 'survey_report')).toContain('name="material.survey_receipt"');
    await demo.done(consultant, caseId, 'survey_report', { outcome: 'submit', materials: await demo.materials(consultant, 'survey_report', 'survey_receipt') });
    expect(await formOf('guwen@demo.local', consultant, 'diagnosis')).toContain('name="findingItem.0"');
    await demo.done(consultant, caseId, 'diagnosis', { outcome: 'submit', findings: [{ itemId: '4.1', finding: '客户信用档案未定期更新。' }] });
    // the internal evaluation is the 1000-point sheet the 贯标 acceptance uses
    expect(await formOf('guwen@demo.local', consultant, 'internal_evaluation')).toContain('id="sheet"');
    await demo.done(consultant, caseId, 'internal_evaluation', { outcome: 'submit', evaluation: demo.evaluation(), materials: await demo.materials(consultant, 'internal_evaluation_report') });
    expect(await formOf('qiye@demo.local', demo.enterprise, 'work_plan')).toContain('name="material.work_plan"');
    await demo.done(demo.enterprise, caseId, 'work_plan', { outcome: 'submit', materials: await demo.materials(demo.enterprise, 'work_plan') });
    expect(await formOf('guwen@demo.local', consultant, 'coaching')).toContain('辅导内容');
    await demo.done(consultant, caseId, 'coaching', { outcome: 'done', comment: '辅导完善授信审批流程。' });
    await formOf('guwen@demo.local', consultant, 'evaluation_report');
    await demo.done(consultant, caseId, 'evaluation_report', { outcome: 'submit', materials: await demo.materials(consultant, 'evaluation_report') });
    expect(await formOf('qiye@demo.local', demo.enterprise, 'evaluation_feedback')).toContain('id="evaluation-report"');
    await demo.done(demo.enterprise, caseId, 'evaluation_feedback', { outcome: 'submit', materials: await demo.materials(demo.enterprise, 'evaluation_feedback') });

    await logIn('qiye@demo.local');
    await openFromInbox('application_package');
    await expect(page.locator('#package-items tr[data-item=contract]').getAttribute('data-present')).resolves.toBe('true');
    await expect(page.locator('#package-items tr[data-item=legal_person_credit_report]').getAttribute('data-present')).resolves.toBe('false');
    await page.setInputFiles('#task-form input[name="material.demonstration_application_form"]', pdf('苏州市信用管理示范企业申报表.pdf'));
    await page.click('#task-form button[type=submit]');
    await expect(page.locator('.error').innerText()).resolves.toContain('申报材料不齐');
    await expect(page.locator('.error').innerText()).resolves.toContain('社会法人信用信息查询报告');
    await expect(page.locator('.problem[data-path="materials.legal_person_credit_report"]').innerText()).resolves.toContain('社会法人信用信息查询报告');
    // the form uploaded is kept for the next try
    await expect(page.locator('#materials .kept').count()).resolves.toBe(1);

    await page.setInputFiles('#task-form input[name="material.legal_person_credit_report"]', pdf('社会法人信用信息查询报告.pdf'));
    await page.click('#task-form button[type=submit]');
    await page.waitForURL(`${system.url}/cases/${caseId}`);
    await expect(page.locator('#package-items tr[data-present=false]').count()).resolves.toBe(0);
  });

  test('the Suzhou office sees the acceptance as 另行通知, then sets the date and place for the waiting case', async () => {
    expect(await formOf('city@demo.local', demo.city, 'submit_package')).toContain('id="package-items"');
    await demo.done(demo.city, caseId, 'submit_package', { outcome: 'submit' });
    const acceptance = await formOf('suzhou@demo.local', demo.prefecture, 'acceptance');
    expect(acceptance).toContain('name="correctionDueOn"');
    expect(acceptance).toMatch(/id="task-due">另行通知/);
    await logIn('suzhou@demo.local');
    await eventually('the acceptance task in the inbox', async () => page.goto(`${system.url}/tasks`).then(() => page.locator('#inbox tr[data-kind=acceptance]').count()), (n) => n === 1);
    await expect(page.locator('#inbox tr[data-kind=acceptance]').innerText()).resolves.toContain('另行通知');
    await caseShows('#demo-acceptance', (text) => text.includes('另行通知'));

    await page.click('nav a[href="/acceptance-schedules"]');
    await page.waitForURL(`${system.url}/acceptance-schedules`);
    await page.check(`#waiting-acceptance input[value="${caseId}"]`);
    await page.fill('#schedule input[name=at]', localDateTimeIn(5));
    await page.fill('#schedule input[name=place]', '苏州市信用办第一会议室');
    await page.click('#schedule button[type=submit]');
    await expect(page.locator('#notice').innerText()).resolves.toContain('苏州市信用办第一会议室');
    await caseShows('#demo-acceptance', (text) => text.includes('苏州市信用办第一会议室'));
  });

  test('the public page lists the case in publicity without login, and takes an objection', async () => {
    await demo.done(demo.prefecture, caseId, 'acceptance', { outcome: 'pass', comment: '验收通过。' });
    await page.context().clearCookies();
    const listed = await eventually('the case on the public page', async () => page.goto(`${system.url}/publicity`).then(() => page.locator(`#publicity tr[data-case-id="${caseId}"]`).count()), (n) => n === 1);
    expect(listed).toBe(1);
    expect(page.url()).toBe(`${system.url}/publicity`);
    const objection = page.locator(`details.objection[data-case-id="${caseId}"]`);
    await objection.locator('summary').click();
    await objection.locator('input[name=name]').fill('张先生');
    await objection.locator('input[name=contact]').fill('13800000000');
    await objection.locator('textarea[name=text]').fill('该企业去年曾拖欠供应商货款，请核实其信用状况。');
    await objection.locator('button[type=submit]').click();
    await page.waitForURL(/\/publicity\?filed=/);
    await expect(page.locator('#notice').innerText()).resolves.toContain('异议已收到');

    // the objection is the acceptor's task, and the case shows it under review
    const task = await demo.task(demo.prefecture, caseId, 'objection_review');
    expect(task.subject).toBeTruthy();
    await logIn('suzhou@demo.local');
    await caseShows('#demo-objections', (text) => text.includes('核查中'));
    await page.goto(`${system.url}/tasks/${encodeURIComponent(task.id)}`);
    await expect(page.locator('#objection').innerText()).resolves.toContain('拖欠供应商货款');
    await expect(page.locator('#objection').innerText()).resolves.toContain('13800000000');

    // the acceptor looks into it and dismisses it, saying why
    await page.check('#task-form input[name=outcome][value=dismiss]');
    await page.fill('#task-form textarea[name=comment]', '经核实，相关货款已按合同约定结清，异议不成立。');
    await page.click('#task-form button[type=submit]');
    await page.waitForURL(`${system.url}/cases/${caseId}`);
    await caseShows('#demo-objections', (text) => text.includes('异议不成立'));
  });
});
