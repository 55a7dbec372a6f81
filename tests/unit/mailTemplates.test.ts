import { describe, expect, test } from '@jest/globals';
import Handlebars from 'handlebars';
import { readFileSync, readdirSync } from 'node:fs';
import { MAIL_LOCALES, MAIL_TEMPLATES, SAMPLE_DATA, loadMailTemplates, type MailLocale, type MailTemplate, type RenderedMail } from '../../activities/notifications/templates.ts';

const render = loadMailTemplates();
const TEMPLATE_DIR = new URL('../../activities/templates/mail/', import.meta.url);
const PARTS = ['subject', 'text', 'html'] as const;

/** CJK ideographs and the full-width punctuation that goes with them. */
const CJK = /[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]/;

/** Fields a template shows only when present (`{{#if}}`); every other sample field is required. */
const OPTIONAL: Partial<Record<MailTemplate, string[]>> = {
  decision: ['comment'],
  appointment: ['reminder'],
  // what a task asks beyond its stage's name: none for a review
  'task-assigned': ['itemLabel'],
  reminder: ['itemLabel'],
  'due-today': ['itemLabel'],
  overdue: ['itemLabel'],
  escalation: ['itemLabel'],
  returned: ['comment'],
  extension: ['forEnterprise', 'applied'],
};

const every = MAIL_TEMPLATES.flatMap((template) => MAIL_LOCALES.map((locale) => [template, locale] as [MailTemplate, MailLocale]));

/** Every string in the data, nested ones included. */
function stringsIn(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(stringsIn);
  if (value && typeof value === 'object') return Object.values(value).flatMap(stringsIn);
  return [];
}
const linksIn = (data: Record<string, unknown>) => stringsIn(data).filter((s) => /^https?:\/\//.test(s));

describe('the mail template set', () => {
  test('every template has a subject, text and HTML part in every locale, and nothing else is on disk', () => {
    for (const locale of MAIL_LOCALES) {
      const files = readdirSync(new URL(`${locale}/`, TEMPLATE_DIR)).sort();
      expect(files).toEqual(MAIL_TEMPLATES.flatMap((t) => PARTS.map((p) => `${t}.${p}.hbs`)).sort());
    }
    expect(Object.keys(SAMPLE_DATA).sort()).toEqual([...MAIL_TEMPLATES].sort());
  });

  test.each(every)('%s (%s) renders its sample data in strict mode', (template, locale) => {
    const mail = render(template, SAMPLE_DATA[template], locale);
    for (const part of PARTS) expect(mail[part].trim()).not.toBe('');
    expect(mail.html).toMatch(/^<!doctype html>/);
    expect(mail.html).toContain(`<html lang="${locale}">`);
  });

  test('the locale defaults to Chinese: the existing call sites render as before', () => {
    for (const template of MAIL_TEMPLATES) expect(render(template, SAMPLE_DATA[template])).toEqual(render(template, SAMPLE_DATA[template], 'zh-CN'));
  });

  test.each(every)('%s (%s): the sample data is the exact contract: leaving out any required field throws', (template, locale) => {
    const sample = SAMPLE_DATA[template];
    for (const field of Object.keys(sample)) {
      const { [field]: _left, ...rest } = sample;
      if (OPTIONAL[template]?.includes(field)) expect(() => render(template, rest, locale)).not.toThrow();
      else expect(() => render(template, rest, locale)).toThrow();
    }
  });

  test.each(every)('%s (%s): the subject is one line', (template, locale) => {
    const { subject } = render(template, SAMPLE_DATA[template], locale);
    expect(subject).not.toMatch(/[\r\n]/);
    expect(subject).toBe(subject.trim());
    // even when the data carries a line break
    const broken = Object.fromEntries(Object.entries(SAMPLE_DATA[template]).map(([k, v]) => [k, typeof v === 'string' ? `${v}\r\nBcc: x@example.com` : v]));
    expect(render(template, broken, locale).subject).not.toMatch(/[\r\n]/);
  });

  test.each(MAIL_TEMPLATES)('%s: the Chinese parts are written in Chinese', (template) => {
    for (const part of PARTS) {
      const source = readFileSync(new URL(`zh-CN/${template}.${part}.hbs`, TEMPLATE_DIR), 'utf8');
      expect(source).toMatch(CJK);
    }
  });

  test.each(MAIL_TEMPLATES)('%s: the English parts have no Chinese of their own (only what the data brings)', (template) => {
    for (const part of PARTS) {
      const source = readFileSync(new URL(`en/${template}.${part}.hbs`, TEMPLATE_DIR), 'utf8');
      expect(source).not.toMatch(CJK);
    }
    const mail = render(template, SAMPLE_DATA[template], 'en');
    // the sample's values, longest first, taken out of the rendered mail (the HTML part escaped as rendered)
    const values = stringsIn(SAMPLE_DATA[template]).sort((a, b) => b.length - a.length);
    const strip = (text: string, escape: boolean) => values.reduce((rest, v) => rest.split(escape ? Handlebars.escapeExpression(v) : v).join(''), text);
    expect(strip(mail.subject, false)).not.toMatch(CJK);
    expect(strip(mail.text, false)).not.toMatch(CJK);
    expect(strip(mail.html, true)).not.toMatch(CJK);
  });

  test.each(every)('%s (%s): the text and HTML parts link straight to the task or case', (template, locale) => {
    const links = linksIn(SAMPLE_DATA[template]);
    expect(links.length).toBeGreaterThan(0);
    const mail = render(template, SAMPLE_DATA[template], locale);
    for (const link of links) {
      expect(mail.text).toContain(link);
      expect(mail.html).toContain(`href="${Handlebars.escapeExpression(link)}"`);
    }
  });

  test.each(MAIL_LOCALES)('the HTML part escapes the data; subject and text do not (%s)', (locale) => {
    const attack = '<script>alert("x")</script>';
    const mail: RenderedMail = render('decision', { ...SAMPLE_DATA.decision, comment: attack, enterpriseName: `<b>${attack}</b>` }, locale);
    expect(mail.html).not.toContain('<script>');
    expect(mail.html).not.toContain('<b>');
    expect(mail.html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    expect(mail.text).toContain(attack);
    expect(mail.subject).toContain(`<b>${attack}</b>`);
    for (const template of MAIL_TEMPLATES) {
      const tainted = Object.fromEntries(Object.entries(SAMPLE_DATA[template]).map(([k, v]) => [k, typeof v === 'string' && !v.startsWith('http') ? `${v}${attack}` : v]));
      expect(render(template, tainted, locale).html).not.toContain('<script>');
    }
  });
});

describe('what each kind says', () => {
  test('the task-assigned mail keeps the fields notifyTaskOpened passes', () => {
    expect(Object.keys(SAMPLE_DATA['task-assigned']).sort()).toEqual(['dueLocal', 'enterpriseName', 'itemLabel', 'recipientName', 'stageLabel', 'taskUrl', 'trackName', 'uscc']);
    expect(Object.keys(SAMPLE_DATA.decision).sort()).toEqual(['caseUrl', 'comment', 'decidedBy', 'decidedLocal', 'enterpriseName', 'outcomeLabel', 'recipientName', 'stageLabel', 'trackName'].sort());
  });

  test('a decision without a comment leaves the comment line out', () => {
    const { comment: _comment, ...data } = SAMPLE_DATA.decision;
    expect(render('decision', data).text).not.toContain('意见');
    expect(render('decision', data, 'en').text).not.toContain('Comment');
    expect(render('decision', { ...data, comment: null }).html).not.toContain('意见');
  });

  test('the digest marks the overdue tasks, and only those', () => {
    const tasks = SAMPLE_DATA.digest.tasks as { enterpriseName: string; overdue: boolean }[];
    const overdue = tasks.filter((t) => t.overdue);
    expect(overdue.length).toBeGreaterThan(0);
    expect(overdue.length).toBeLessThan(tasks.length);
    const zh = render('digest', SAMPLE_DATA.digest);
    const en = render('digest', SAMPLE_DATA.digest, 'en');
    for (const t of tasks) {
      const zhLine = zh.text.split('\n').find((l) => l.includes(t.enterpriseName))!;
      const enLine = en.text.split('\n').find((l) => l.includes(t.enterpriseName))!;
      expect(zhLine.startsWith('【逾期】')).toBe(t.overdue);
      expect(enLine.startsWith('[OVERDUE]')).toBe(t.overdue);
    }
    expect(zh.html.split('【逾期】').length - 1).toBe(overdue.length);
    expect(en.html.split('[OVERDUE]').length - 1).toBe(overdue.length);
    expect(zh.subject).toContain(`共${tasks.length}项`);
    expect(en.subject).toContain(`${tasks.length} open`);
  });

  test('an empty digest still renders', () => {
    const mail = render('digest', { ...SAMPLE_DATA.digest, tasks: [], overdueCount: 0 }, 'en');
    expect(mail.text).toContain('You have no open tasks.');
  });

  test('English counts days in words that agree with the number; a missing count throws', () => {
    expect(render('reminder', { ...SAMPLE_DATA.reminder, daysLeft: 1 }, 'en').subject).toMatch(/due in 1 day$/);
    expect(render('reminder', { ...SAMPLE_DATA.reminder, daysLeft: 3 }, 'en').subject).toMatch(/due in 3 days$/);
    expect(render('escalation', { ...SAMPLE_DATA.escalation, daysOverdue: 4 }).subject).toContain('已逾期4天');
    expect(() => render('escalation', { ...SAMPLE_DATA.escalation, daysOverdue: undefined }, 'en')).toThrow(/days/);
  });

  test('the escalation names whose task it is and how late; the bounce notice quotes the SMTP answer', () => {
    const escalation = render('escalation', SAMPLE_DATA.escalation);
    expect(escalation.text).toContain(String(SAMPLE_DATA.escalation.assigneeLabel));
    expect(escalation.text).toContain('逾期天数：4天');
    const bounce = render('delivery-failed', SAMPLE_DATA['delivery-failed'], 'en');
    expect(bounce.text).toContain(String(SAMPLE_DATA['delivery-failed'].smtpResponse));
    expect(bounce.html).toContain(Handlebars.escapeExpression(String(SAMPLE_DATA['delivery-failed'].smtpResponse)));
    expect(bounce.subject).toContain(String(SAMPLE_DATA['delivery-failed'].failedTo));
  });

  test('an unknown locale or template is refused', () => {
    expect(() => render('decision', SAMPLE_DATA.decision, 'fr' as MailLocale)).toThrow(/no mail template/);
    expect(() => render('nope' as MailTemplate, {})).toThrow(/no mail template/);
  });
});
