import Handlebars from 'handlebars';
import { readFileSync } from 'node:fs';

const TEMPLATE_DIR = new URL('../templates/mail/', import.meta.url);

/** One template per kind of event; each has a subject, a plain-text and an HTML part in every locale. */
export const MAIL_TEMPLATES = [
  'task-assigned',
  'decision',
  'reminder',
  'due-today',
  'overdue',
  'escalation',
  'digest',
  'lapsed',
  'certificate',
  'delivery-failed',
  'appointment',
  'self-compliance',
  'returned',
  'extension',
  'set-password',
] as const;
export type MailTemplate = (typeof MAIL_TEMPLATES)[number];

/** Chinese first: the users are Chinese officials and enterprises. */
export const MAIL_LOCALES = ['zh-CN', 'en'] as const;
export type MailLocale = (typeof MAIL_LOCALES)[number];

/** What each template is for, in the UI's words (the admin preview lists them). */
export const MAIL_TEMPLATE_LABELS: Record<MailTemplate, string> = {
  'task-assigned': '新待办',
  decision: '审核结果（致企业）',
  reminder: '到期提醒',
  'due-today': '今日到期',
  overdue: '已逾期',
  escalation: '逾期督办（致上级）',
  digest: '每日待办汇总',
  lapsed: '案件逾期失效（致企业）',
  certificate: '通过验收（致企业）',
  'delivery-failed': '邮件未送达（致负责单位）',
  appointment: '现场调查、验收时间通知与提醒',
  'self-compliance': '自主贯标开始：贯标事项和验收材料（致企业）',
  returned: '退回补正（致企业，含退回意见和补正期限）',
  extension: '期限延长（致企业和所在镇（区））',
  'set-password': '设置登录密码链接（邀请新用户、重设密码）',
};

export interface RenderedMail {
  subject: string;
  html: string;
  text: string;
}

export type RenderMail = (template: MailTemplate, data: Record<string, unknown>, locale?: MailLocale) => RenderedMail;

export function isMailTemplate(name: string): name is MailTemplate {
  return (MAIL_TEMPLATES as readonly string[]).includes(name);
}

export function isMailLocale(name: string): name is MailLocale {
  return (MAIL_LOCALES as readonly string[]).includes(name);
}

type Compiled = Record<keyof RenderedMail, Handlebars.TemplateDelegate>;

/** A private Handlebars: its helpers are the templates' own, nothing registered globally. */
function mailHandlebars(): typeof Handlebars {
  const hbs = Handlebars.create();
  // "1 day", "3 days" (English plurals). Strict mode does not check helper arguments, so this does.
  hbs.registerHelper('days', (n: unknown) => {
    if (typeof n !== 'number' || !Number.isFinite(n)) throw new Error(`days: expected a number of days, got ${String(n)}`);
    return n === 1 ? '1 day' : `${n} days`;
  });
  return hbs;
}

/**
 * Compiles every mail template in every locale once (strict: a field the template names but the data
 * lacks throws); rendering is then a pure function of the data. Subject and text are not
 * HTML-escaped; the HTML part is. The locale defaults to Chinese.
 */
export function loadMailTemplates(): RenderMail {
  const hbs = mailHandlebars();
  const compiled = new Map<string, Compiled>();
  for (const locale of MAIL_LOCALES) {
    for (const name of MAIL_TEMPLATES) {
      const part = (kind: keyof RenderedMail, noEscape: boolean) =>
        hbs.compile(readFileSync(new URL(`${locale}/${name}.${kind}.hbs`, TEMPLATE_DIR), 'utf8'), { noEscape, strict: true });
      compiled.set(`${locale}/${name}`, { subject: part('subject', true), html: part('html', false), text: part('text', true) });
    }
  }
  return (template, data, locale = 'zh-CN') => {
    const parts = compiled.get(`${locale}/${template}`);
    if (!parts) throw new Error(`no mail template ${template} in locale ${locale}`);
    return { subject: parts.subject(data).replace(/\s+/g, ' ').trim(), html: parts.html(data), text: parts.text(data) };
  };
}

const SAMPLE_URL = 'https://credcase.example.cn';
const SAMPLE_CASE = 'case-taicang-2026-standard-91320585MA1TC0001A';
const sampleTaskUrl = (sequence: number, stage: string) => `${SAMPLE_URL}/tasks/${encodeURIComponent(`${SAMPLE_CASE}:${sequence}:${stage}`)}`;

/**
 * Realistic data for every template: the admin preview renders it, and the tests render every
 * template in every locale with it in strict mode, so this IS the contract: each template needs
 * exactly the fields listed here (a field shown as optional may be left out). Dates and times are
 * already local strings (formatLocal / localDate in the program's time zone); labels are the
 * domain's labels (STAGE_LABELS, OUTCOME_LABELS, ROLE_LABELS, DEADLINE_LABELS); URLs are absolute
 * (PUBLIC_URL + path).
 */
export const SAMPLE_DATA: Record<MailTemplate, Record<string, unknown>> = {
  /**
   * To a user an admin invited (or asked to set a new password): recipientName, email (the login),
   * roleLabel (role and scope), invitedBy (the admin), setPasswordUrl (single use), expiresLocal.
   */
  'set-password': {
    recipientName: '陈静',
    email: 'chenjing@shaxi.example.cn',
    roleLabel: '镇（区）经发中心 · 沙溪镇',
    invitedBy: '系统管理员',
    setPasswordUrl: `${SAMPLE_URL}/set-password/3q2-7wEXAMPLEtokenOnlyInTheMailNeverStoredxYz`,
    expiresLocal: '2026年6月4日 10:15',
  },
  /**
   * To the enterprise and its consultant (and, for an acceptance, the district), an appointment set
   * or the day before it: recipientName, enterpriseName, trackName, appointmentLabel, whenLocal,
   * place, reminder (true the day before), caseUrl.
   */
  appointment: {
    recipientName: '王敏',
    enterpriseName: '太仓示例精密机械有限公司',
    trackName: '苏州市级信用管理示范企业创建',
    appointmentLabel: '现场调查',
    whenLocal: '2026年7月10日 09:30',
    place: '太仓市沙溪镇示例路1号 会议室',
    reminder: false,
    caseUrl: 'http://127.0.0.1:3000/cases/case-taicang-2026-municipal-demo-91320585MA1TC0001A',
  },
  /**
   * To everyone who may act on a new task: recipientName, enterpriseName, uscc, trackName, stageLabel,
   * itemLabel (what the task asks where its stage does not say it: a checklist item, a consultant's
   * advice; null for a review), dueLocal, taskUrl.
   */
  'task-assigned': {
    recipientName: '李强',
    enterpriseName: '太仓示例精密机械有限公司',
    uscc: '91320585MA1TC0001A',
    trackName: '信用管理贯标',
    stageLabel: '自主贯标',
    itemLabel: '评估报告辅导意见',
    dueLocal: '2026年7月31日 23:59',
    taskUrl: sampleTaskUrl(9, 'internal_evaluation'),
  },
  /**
   * To the enterprise, self-compliance begins: the checklist and the acceptance materials in one mail.
   * recipientName, enterpriseName, trackName, stageLabel, itemLabel (the materials' task), dueLocal,
   * taskUrl (the acceptance materials), items: the open checklist items in the program's order, each {title, taskUrl}.
   */
  'self-compliance': {
    recipientName: '王敏',
    enterpriseName: '太仓示例精密机械有限公司',
    trackName: '信用管理贯标',
    stageLabel: '自主贯标',
    itemLabel: '提交验收材料',
    dueLocal: '2026年7月31日 23:59',
    taskUrl: sampleTaskUrl(9, 'acceptance'),
    items: [
      { title: '成立贯标工作小组', taskUrl: sampleTaskUrl(4, 'working_group') },
      { title: '制定贯标工作方案', taskUrl: sampleTaskUrl(5, 'work_plan') },
      { title: '明确信用管理部门和岗位职责', taskUrl: sampleTaskUrl(6, 'credit_department') },
      { title: '开展贯标培训', taskUrl: sampleTaskUrl(7, 'training') },
      { title: '开展内部评估，形成内部评估报告', taskUrl: sampleTaskUrl(8, 'internal_evaluation') },
    ],
  },
  /**
   * To the enterprise, a review returned its case, and its correction task is open: one mail says
   * both. recipientName, enterpriseName, trackName, taskLabel (what to hand in again),
   * returnedAtLabel (the review that returned it), returnedBy (the person with their office),
   * returnedLocal, comment (optional), dueLocal, taskUrl.
   */
  returned: {
    recipientName: '王敏',
    enterpriseName: '太仓示例精密机械有限公司',
    trackName: '信用管理贯标',
    taskLabel: '补正申报材料',
    returnedAtLabel: '镇（区）初审',
    returnedBy: '陈静（沙溪镇经发中心）',
    returnedLocal: '2026年6月10日 14:32',
    comment: '信用报告缺少2024年度部分，请补充后重新提交。',
    dueLocal: '2026年6月24日 23:59',
    taskUrl: sampleTaskUrl(2, 'correction'),
  },
  /**
   * To the enterprise and its district office, a deadline of the enterprise's case moved (延期):
   * recipientName, enterpriseName, uscc, trackName, deadlineLabel, dueLocal (the new one),
   * previousLocal, reason, grantedBy, forEnterprise (the enterprise's own users, or its district
   * office), applied (the case exists: the link opens it; else it leads to the application), linkUrl.
   */
  extension: {
    recipientName: '王敏',
    enterpriseName: '太仓示例精密机械有限公司',
    uscc: '91320585MA1TC0001A',
    trackName: '信用管理贯标',
    deadlineLabel: '验收材料报送截止',
    dueLocal: '2026年8月14日 23:59',
    previousLocal: '2026年7月31日 23:59',
    reason: '企业内部评估需外部机构复核，延期两周。',
    grantedBy: '周涛（市经信委融资与担保科）',
    forEnterprise: true,
    applied: true,
    linkUrl: `${SAMPLE_URL}/cases/${SAMPLE_CASE}`,
  },
  /**
   * To the enterprise's users, the outcome of a step (a return is told by the `returned` mail):
   * recipientName, enterpriseName, trackName, stageLabel, outcomeLabel, comment (optional), decidedBy
   * (the person with their office, said once), decidedLocal, caseUrl.
   */
  decision: {
    recipientName: '王敏',
    enterpriseName: '太仓示例精密机械有限公司',
    trackName: '信用管理贯标',
    stageLabel: '镇（区）初审',
    outcomeLabel: '审核通过',
    comment: '材料齐全，同意报市经信委。',
    decidedBy: '陈静（沙溪镇经发中心）',
    decidedLocal: '2026年6月10日 14:32',
    caseUrl: `${SAMPLE_URL}/cases/${SAMPLE_CASE}`,
  },
  /** N days before a task's due date: recipientName, enterpriseName, trackName, stageLabel, itemLabel (as for task-assigned), dueLocal, daysLeft (number), taskUrl. */
  reminder: {
    recipientName: '王敏',
    enterpriseName: '太仓示例精密机械有限公司',
    trackName: '信用管理贯标',
    stageLabel: '自主贯标',
    itemLabel: '提交验收材料',
    dueLocal: '2026年7月31日 23:59',
    daysLeft: 3,
    taskUrl: sampleTaskUrl(5, 'acceptance_submission'),
  },
  /** On a task's due date: recipientName, enterpriseName, trackName, stageLabel, itemLabel (null for a review), dueLocal, taskUrl. */
  'due-today': {
    recipientName: '周涛',
    enterpriseName: '太仓示例精密机械有限公司',
    trackName: '信用管理贯标',
    stageLabel: '市经信委审核',
    itemLabel: null,
    dueLocal: '2026年6月20日 17:00',
    taskUrl: sampleTaskUrl(3, 'city_review'),
  },
  /** A task past its due date, to whoever may complete it: recipientName, enterpriseName, trackName, stageLabel, itemLabel, dueLocal (overdue since), taskUrl. */
  overdue: {
    recipientName: '陈静',
    enterpriseName: '太仓示例精密机械有限公司',
    trackName: '信用管理贯标',
    stageLabel: '验收材料镇（区）审核',
    itemLabel: null,
    dueLocal: '2026年8月5日 23:59',
    taskUrl: sampleTaskUrl(6, 'acceptance_district_check'),
  },
  /**
   * To the supervising office, a task overdue for days: recipientName, enterpriseName, trackName,
   * stageLabel, itemLabel, assigneeLabel (who holds the task: each person with their office once),
   * dueLocal, daysOverdue (number), taskUrl.
   */
  escalation: {
    recipientName: '周涛',
    enterpriseName: '太仓示例精密机械有限公司',
    trackName: '信用管理贯标',
    stageLabel: '验收材料镇（区）审核',
    itemLabel: null,
    assigneeLabel: '陈静（沙溪镇经发中心）',
    dueLocal: '2026年8月5日 23:59',
    daysOverdue: 4,
    taskUrl: sampleTaskUrl(6, 'acceptance_district_check'),
  },
  /**
   * A user's daily list: recipientName, dayLocal, overdueCount (number), inboxUrl, and tasks: the
   * open tasks sorted by due date (so the overdue ones come first), each {enterpriseName,
   * stageLabel, itemLabel (null where the stage says it), dueLocal, overdue (boolean), taskUrl}. An
   * empty list renders too.
   */
  digest: {
    recipientName: '陈静',
    dayLocal: '2026年6月12日',
    overdueCount: 1,
    inboxUrl: `${SAMPLE_URL}/tasks`,
    tasks: [
      {
        enterpriseName: '太仓示例精密机械有限公司',
        stageLabel: '验收材料镇（区）审核',
        itemLabel: null,
        dueLocal: '2026年6月10日 23:59',
        overdue: true,
        taskUrl: sampleTaskUrl(6, 'acceptance_district_check'),
      },
      {
        enterpriseName: '太仓沙溪示例纺织有限公司',
        stageLabel: '镇（区）初审',
        itemLabel: null,
        dueLocal: '2026年6月15日 23:59',
        overdue: false,
        taskUrl: `${SAMPLE_URL}/tasks/${encodeURIComponent('case-taicang-2026-standard-91320585MA1TC0002B:1:district_review')}`,
      },
      {
        enterpriseName: '太仓示例新材料科技有限公司',
        stageLabel: '镇（区）汇总报送',
        itemLabel: null,
        dueLocal: '2026年6月18日 17:00',
        overdue: false,
        taskUrl: `${SAMPLE_URL}/tasks/${encodeURIComponent('case-taicang-2026-standard-91320585MA1TC0003C:2:district_forwarding')}`,
      },
    ],
  },
  /** To the enterprise, its case lapsed: recipientName, enterpriseName, trackName, deadlineLabel, deadlineLocal, lapsedLocal, caseUrl. */
  lapsed: {
    recipientName: '王敏',
    enterpriseName: '太仓示例精密机械有限公司',
    trackName: '信用管理贯标',
    deadlineLabel: '验收材料报送截止',
    deadlineLocal: '2026年7月31日 23:59',
    lapsedLocal: '2026年8月1日 00:00',
    caseUrl: `${SAMPLE_URL}/cases/${SAMPLE_CASE}`,
  },
  /** To the enterprise, it passed acceptance: recipientName, enterpriseName, trackName, certificateNumber, issuedOn (local date), caseUrl. */
  certificate: {
    recipientName: '王敏',
    enterpriseName: '太仓示例精密机械有限公司',
    trackName: '信用管理贯标',
    certificateNumber: '苏信贯标〔2026〕第018号',
    issuedOn: '2026年9月28日',
    caseUrl: `${SAMPLE_URL}/cases/${SAMPLE_CASE}`,
  },
  /**
   * To the office responsible for the case, a mail that bounced: recipientName, failedTo (the
   * address), mailSubject (the undelivered mail's subject), enterpriseName, trackName, failedLocal,
   * smtpResponse (the server's answer, verbatim), caseUrl.
   */
  'delivery-failed': {
    recipientName: '陈静',
    failedTo: 'wangmin@taicang-jingmi.example.cn',
    mailSubject: '【退回补正】镇（区）初审 · 太仓示例精密机械有限公司',
    enterpriseName: '太仓示例精密机械有限公司',
    trackName: '信用管理贯标',
    failedLocal: '2026年6月10日 14:33',
    smtpResponse: '550 5.1.1 <wangmin@taicang-jingmi.example.cn>: Recipient address rejected: User unknown in virtual mailbox table',
    caseUrl: `${SAMPLE_URL}/cases/${SAMPLE_CASE}`,
  },
};
