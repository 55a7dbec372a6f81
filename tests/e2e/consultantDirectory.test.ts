import { afterAll, beforeAll, expect, test } from '@jest/globals';
import type { Browser, Page } from 'playwright-core';
import { createAgencyService } from '../../features/registers/agencyService.ts';
import { launchChromium, logIn } from '../support/browser.ts';
import { ApiClient } from '../support/http.ts';
import { TEST_PASSWORD, startTestSystem, type TestSystem } from '../support/system.ts';
import { Track } from '../support/track.ts';

/**
 * Issue 10, item 1: the enterprise engages its 贯标 consultant by name from the directory of active
 * agencies (no id to type, no JavaScript needed), and the case names the consultant and their agency.
 */
let system: TestSystem;
let browser: Browser;
let page: Page;
let track: Track;
let admin: ApiClient;
let caseId: string;

const LI_QIANG = '李强（苏州示例信用服务有限公司）';
const SUN_LI = '孙丽（江南示例征信服务有限公司）';

beforeAll(async () => {
  system = await startTestSystem('pglite');
  track = await Track.start(system);
  admin = await ApiClient.login(system.url, 'admin@demo.local', TEST_PASSWORD);
  const applied = await track.apply();
  expect(applied.status).toBe(201);
  caseId = applied.body.id;
  await track.admit(caseId);
  browser = await launchChromium();
  // the form must work as plain HTML: no script runs on this page
  page = await (await browser.newContext({ javaScriptEnabled: false })).newPage();
});
afterAll(async () => {
  await browser?.close();
  await system?.stop();
});

const submitConsultant = () =>
  Promise.all([page.waitForResponse((r) => r.url() === `${system.url}/cases/${caseId}/consultant` && r.request().method() === 'POST'), page.click('#consultant-form button[type=submit]')]).then(([r]) => r);

test('the directory an enterprise reads: active agencies with their active consultants, by name only', async () => {
  const enterprise = { userId: system.userIds.get('qiye@demo.local')!, name: '王敏', role: 'enterprise' as const, scopeId: null };
  const directory = await createAgencyService(system.app.orm).directory(enterprise);
  expect(directory.map((a) => a.name)).toEqual(expect.arrayContaining(['苏州示例信用服务有限公司', '江南示例征信服务有限公司']));
  const demo = directory.find((a) => a.id === 'agency-demo')!;
  expect(demo).toMatchObject({ contactPhone: '0512-68001234', consultants: [{ userId: system.userIds.get('guwen@demo.local'), name: LI_QIANG }] });
  for (const agency of directory) for (const consultant of agency.consultants) expect(Object.keys(consultant).sort()).toEqual(['name', 'userId']);
  expect(JSON.stringify(directory)).not.toContain('@');
});

test('the enterprise chooses its consultant by name; a consultant gone from the directory is refused next to the select; the case names the consultant and agency', async () => {
  const consultantId = system.userIds.get('guwen@demo.local')!;
  await logIn(page, system.url, 'qiye@demo.local', TEST_PASSWORD);
  await page.goto(`${system.url}/cases/${caseId}`);
  await expect(page.locator('#consultant').innerText()).resolves.toBe('未聘请');
  const groups = page.locator('#consultant-form select[name=consultantUserId] optgroup');
  await expect(groups.evaluateAll((all) => all.map((g) => g.getAttribute('label')))).resolves.toEqual(
    expect.arrayContaining([expect.stringContaining('苏州示例信用服务有限公司'), expect.stringContaining('江南示例征信服务有限公司')]),
  );
  await expect(page.locator('#consultant-form optgroup[data-agency=agency-demo] option').allInnerTexts()).resolves.toEqual([LI_QIANG]);
  // names only: no login of any consultant on the page
  await expect(page.locator('#consultant-form').innerHTML()).resolves.not.toContain('@');

  // the agency is deactivated while the page is open: its consultant can no longer be engaged
  expect((await admin.request('PATCH', '/api/agencies/agency-jiangnan', { active: false })).status).toBe(200);
  try {
    await page.selectOption('#consultant-form select[name=consultantUserId]', { label: SUN_LI });
    expect((await submitConsultant()).status()).toBe(400);
    await expect(page.locator('#consultant-form .problem[data-path=consultantUserId]').innerText()).resolves.toContain('信用服务机构顾问：所选顾问不在名录中或已停用');
    await expect(page.locator('#consultant-form optgroup[data-agency=agency-jiangnan]').count()).resolves.toBe(0);
    await expect(page.locator('#consultant').innerText()).resolves.toBe('未聘请');
  } finally {
    await admin.request('PATCH', '/api/agencies/agency-jiangnan', { active: true });
  }

  await page.selectOption('#consultant-form select[name=consultantUserId]', { label: LI_QIANG });
  await Promise.all([page.waitForURL(`${system.url}/cases/${caseId}`), page.click('#consultant-form button[type=submit]')]);
  // the demo consultant's name already carries the agency: said once
  await expect(page.locator('#consultant').innerText()).resolves.toBe(`已聘请：${LI_QIANG}`);
  await expect(page.locator('#consultant').innerText()).resolves.not.toContain(consultantId);
  // the engaged consultant stays chosen: changing them is the same form
  await expect(page.locator('#consultant-form select[name=consultantUserId] option:checked').innerText()).resolves.toBe(LI_QIANG);
  await expect(page.locator('#consultant-form button[type=submit]').innerText()).resolves.toBe('更换顾问');

  // the API's case view names them too, the id kept for its clients
  const view = (await track.enterprise.get(`/api/cases/${caseId}`)).body;
  expect(view.consultantUserId).toBe(consultantId);
  expect(view.consultant).toEqual({ userId: consultantId, name: LI_QIANG, agencyName: '苏州示例信用服务有限公司' });

  // a consultant the admin registers later is in the directory at once; changing to them names their agency
  const added = await admin.post('/api/agencies/agency-jiangnan/consultants', { name: '周明', email: 'zhou.ming@jiangnan.example', password: 'initial-pass-1' });
  expect(added.status).toBe(201);
  await page.goto(`${system.url}/cases/${caseId}`);
  await page.selectOption('#consultant-form select[name=consultantUserId]', { label: '周明' });
  await Promise.all([page.waitForURL(`${system.url}/cases/${caseId}`), page.click('#consultant-form button[type=submit]')]);
  await expect(page.locator('#consultant-name').innerText()).resolves.toBe('周明');
  await expect(page.locator('#consultant-agency').innerText()).resolves.toBe('江南示例征信服务有限公司');
  await expect(page.locator('#consultant').innerText()).resolves.toBe('已聘请：周明（江南示例征信服务有限公司）');
  expect((await track.enterprise.get(`/api/cases/${caseId}`)).body.consultant).toEqual({ userId: added.body.userId, name: '周明', agencyName: '江南示例征信服务有限公司' });
});
