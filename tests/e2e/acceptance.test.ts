import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, logIn as logInAs } from '../support/browser.ts';
import { minimalPdf } from '../support/fixtures.ts';
import { Track } from '../support/track.ts';
import { TEST_PASSWORD, startTestSystem, type TestSystem } from '../support/system.ts';

/**
 * 贯标验收 in the browser: the case is brought to self-compliance through the API, then the enterprise
 * hands in its materials and score sheet (attachment 4), the district checks, the city adjusts a
 * score, and the Suzhou office records the certificate.
 */
let system: TestSystem;
let browser: Browser;
let page: Page;
let caseId: string;

beforeAll(async () => {
  system = await startTestSystem('postgresql');
  const track = await Track.start(system);
  caseId = (await track.apply()).body.id;
  await track.admit(caseId);
  await track.completeChecklist(caseId);
  browser = await launchChromium();
  page = await browser.newPage();
});
afterAll(async () => {
  await browser?.close();
  await system?.stop();
});

const logIn = (email: string) => logInAs(page, system.url, email, TEST_PASSWORD);

async function openFromInbox(kind: string) {
  await page.goto(`${system.url}/tasks`);
  await page.locator(`#inbox tr[data-kind=${kind}] a.button`).click();
  await page.waitForURL(/\/tasks\//);
}

const pdf = (name: string) => ({ name, mimeType: 'application/pdf', buffer: minimalPdf(name) });

describe('acceptance in the browser', () => {
  test('the enterprise hands in materials and its score sheet; an unscored item is refused and the files stay', async () => {
    await logIn('qiye@demo.local');
    await openFromInbox('acceptance_submission');
    await expect(page.locator('#acceptance .notice').count()).resolves.toBe(0);
    await page.setInputFiles('#acceptance input[name=workSummary]', pdf('贯标工作总结报告.pdf'));
    await page.setInputFiles('#acceptance input[name=internalEvaluation]', pdf('内部评估报告.pdf'));
    await page.setInputFiles('#acceptance input[name=commitmentLetter]', pdf('信用承诺书（签字盖章）.pdf'));
    await page.setInputFiles('#acceptance input[name="evidence.1.1"]', pdf('信用管理方针.pdf'));
    // every item full, then 2.1 half and 3.1 zero; 12.7 left unscored
    await page.locator('#sheet input[type=radio][value=full]').evaluateAll((radios) => radios.forEach((r) => ((r as unknown as { checked: boolean }).checked = true)));
    await page.check('input[name="score.2.1"][value=half]');
    await page.check('input[name="score.3.1"][value=zero]');
    await page.locator('input[name="score.12.7"]').evaluateAll((radios) => radios.forEach((r) => ((r as unknown as { checked: boolean }).checked = false)));
    await page.click('#acceptance button[type=submit]');
    await expect(page.locator('.error').innerText()).resolves.toContain('第12.7项：请选择得分');
    await expect(page.locator('#sheet tr[data-item="12.7"].invalid .problem').innerText()).resolves.toBe('第12.7项：请选择得分');
    await expect(page.locator('#acceptance .kept').count()).resolves.toBe(3);
    await expect(page.isChecked('input[name="score.3.1"][value=zero]')).resolves.toBe(true);
    await expect(page.locator('input[name="evidenceIds.1.1"]').count()).resolves.toBe(1);

    await page.check('input[name="score.12.7"][value=full]');
    await page.click('#acceptance button[type=submit]');
    await page.waitForURL(`${system.url}/cases/${caseId}`);
    await expect(page.locator('#stage').getAttribute('data-stage')).resolves.toBe('acceptance_district_check');
    await expect(page.locator('#total-own').innerText()).resolves.toBe('975');
    await expect(page.locator('#gaps').innerText()).resolves.toContain('3.1');
    await expect(page.locator('#acceptance-files li').count()).resolves.toBe(4);
  });

  test('the district checks, the city adjusts a score (a reason is required), Suzhou records the certificate', async () => {
    await logIn('shaxi@demo.local');
    await openFromInbox('review');
    await page.check('input[value=approve]');
    await page.click('#decision button[type=submit]');
    await page.waitForURL(`${system.url}/cases/${caseId}`);
    await expect(page.locator('#stage').getAttribute('data-stage')).resolves.toBe('acceptance_city_review');

    await logIn('city@demo.local');
    await openFromInbox('review');
    await page.click('#decision details.adjust summary');
    await page.selectOption('select[name="adjust.2.1"]', 'zero');
    await page.check('input[value=approve]');
    await page.click('#decision button[type=submit]');
    // the refusal names the item as the form does, in the reader's language
    await expect(page.locator('.error').innerText()).resolves.toContain('第2.1项：请说明调整理由');
    await expect(page.locator('.error').innerText()).resolves.not.toContain('scoreAdjustments');
    await expect(page.locator('#adjustments-form tr.invalid .problem').innerText()).resolves.toBe('第2.1项：请说明调整理由');
    await page.fill('input[name="adjustComment.2.1"]', '无专职信用管理部门的文件依据');
    await page.click('#decision button[type=submit]');
    await page.waitForURL(`${system.url}/cases/${caseId}`);
    await expect(page.locator('#total-reviewed').innerText()).resolves.toBe('960');
    await expect(page.locator('#adjustments').innerText()).resolves.toContain('无专职信用管理部门的文件依据');

    await logIn('suzhou@demo.local');
    await openFromInbox('review');
    await page.check('input[value=approve]');
    await page.click('#decision button[type=submit]');
    await expect(page.locator('.error').innerText()).resolves.toContain('通过验收时请填写证书编号');
    await page.fill('input[name=certificateNumber]', '苏信贯〔2026〕001号');
    await page.click('#decision button[type=submit]');
    await page.waitForURL(`${system.url}/cases/${caseId}`);
    await expect(page.locator('#status').getAttribute('data-status')).resolves.toBe('certified');
    await expect(page.locator('#certificate').innerText()).resolves.toContain('苏信贯〔2026〕001号');
    await page.screenshot({ path: '.cache/test/certified-case.png', fullPage: true });
  });

  test('the case page lists its documents: the signed 承诺书 handed in, forms printed and downloaded, a signed scan uploaded back', async () => {
    await logIn('qiye@demo.local');
    await page.goto(`${system.url}/cases/${caseId}`);
    await expect(page.locator('#document-commitment_letter').innerText()).resolves.toMatch(/信用承诺书（签字盖章）\.pdf[\s\S]*随“.+”提交/);

    const [sheet] = await Promise.all([page.waitForEvent('download'), page.click('#document-self_evaluation button[type=submit]')]);
    expect(sheet.suggestedFilename()).toContain('自评表');
    const [form] = await Promise.all([page.waitForEvent('download'), page.click('#document-application_form button[type=submit]')]);
    expect(form.suggestedFilename()).toContain('申报表');

    await page.goto(`${system.url}/cases/${caseId}`);
    await expect(page.locator('#document-application_form .document-download').count()).resolves.toBe(1);
    await page.setInputFiles('#document-application_form input[name=scan]', pdf('申报表（已盖章）.pdf'));
    await page.click('#document-application_form .scan-form button[type=submit]');
    await page.waitForURL(`${system.url}/cases/${caseId}#documents`);
    await expect(page.locator('#document-application_form').innerText()).resolves.toContain('申报表（已盖章）.pdf');
    await page.locator('#documents').screenshot({ path: '.cache/test/artefacts/case-documents.png' });
  });
});
