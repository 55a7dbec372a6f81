import { AppError } from '../../features/errors.ts';
import { MAIL_LOCALES, MAIL_TEMPLATE_LABELS, MAIL_TEMPLATES, SAMPLE_DATA, isMailLocale, isMailTemplate, loadMailTemplates, type MailTemplate, type RenderMail } from '../../activities/notifications/templates.ts';
import { hasMessage } from '../i18n/i18n.ts';
import { sandboxedHtml } from '../security/headers.ts';
import type { PageKit } from '../pageKit.ts';
import type { Express, NextFunction, Request, Response } from 'express';
import { adminProgramPages } from './adminPrograms.ts';
import { adminUserPages, setPasswordPages } from './adminUsers.ts';
import { adminRegisterPages } from './adminRegisters.ts';
import { adminAuditPages } from './adminAudit.ts';
import { say } from './adminShared.ts';

/**
 * Administration (/admin, admins only: anyone else gets 403 for the whole section): programs,
 * users, agencies, the certificate import, the audit log and the mail templates; the public
 * set-password page of invited users; and, in development, caught mail.
 */
export function adminPages(web: Express, kit: PageKit): void {
  const { services, options, render, signedIn, actorOf } = kit;

  const adminOnly = (req: Request, _res: Response, next: NextFunction) => {
    if (actorOf(req).role !== 'admin') throw new AppError('forbidden', '系统管理仅限系统管理员 (administration is for admins)');
    next();
  };
  web.use('/admin', signedIn, adminOnly);

  web.get('/admin', async (req, res) => {
    const actor = actorOf(req);
    const [programs, users, agencies] = await Promise.all([services.programs.list(), services.admin.users.counts(actor), services.registers.agencies.list(actor)]);
    render(res, 'admin/index', { title: say(res, 'title'), section: 'overview', programs: programs.length, users, agencies: agencies.length });
  });

  adminProgramPages(web, kit);
  adminUserPages(web, kit);
  adminRegisterPages(web, kit);
  adminAuditPages(web, kit);
  setPasswordPages(web, kit);

  // ---- 邮件模板预览: every template in every locale, rendered with its sample data ----

  let mailTemplates: RenderMail | null = null;
  const renderMail: RenderMail = (template, data, locale) => (mailTemplates ??= loadMailTemplates())(template, data, locale);

  /** What a template is for, in the reader's words (a template the catalogue does not know yet: its own label). */
  const labelOf = (res: Response, name: MailTemplate) => (hasMessage(`admin.mailTemplates.labels.${name}`) ? say(res, `mailTemplates.labels.${name}`) : MAIL_TEMPLATE_LABELS[name]);

  web.get('/admin/mail-templates', (_req, res) => {
    const templates = MAIL_TEMPLATES.map((name) => ({
      name,
      label: labelOf(res, name),
      locales: MAIL_LOCALES.map((locale) => ({ locale, subject: renderMail(name, SAMPLE_DATA[name], locale).subject })),
    }));
    render(res, 'mailTemplates', { title: say(res, 'mailTemplates.title'), wide: true, section: 'mailTemplates', templates });
  });

  const previewOf = (req: Request) => {
    const template = String(req.params.template);
    const locale = typeof req.query.locale === 'string' ? req.query.locale : 'zh-CN';
    if (!isMailTemplate(template) || !isMailLocale(locale)) throw new AppError('not_found', `没有邮件模板 ${template}（${locale}）(no such mail template)`);
    return { template, locale, data: SAMPLE_DATA[template] };
  };

  web.get('/admin/mail-templates/:template', (req, res) => {
    const { template, locale, data } = previewOf(req);
    render(res, 'mailTemplates', {
      title: `${say(res, 'mailTemplates.title')} · ${template}`,
      wide: true,
      section: 'mailTemplates',
      preview: { name: template, label: labelOf(res, template), locale, locales: MAIL_LOCALES, mail: renderMail(template, data, locale), data },
    });
  });

  // the HTML part on its own, for the preview's sandboxed frame: mail needs inline styles, the pages allow none
  web.get('/admin/mail-templates/:template/html', (req, res) => {
    const { template, locale, data } = previewOf(req);
    sandboxedHtml(res, renderMail(template, data, locale).html);
  });

  if (options.mailCatcher) {
    const catcher = options.mailCatcher;
    // caught mail holds every user's links and names: admins only; to anyone else the page does not exist
    web.get('/dev/mail', signedIn, (req, res) => {
      if (actorOf(req).role !== 'admin') throw new AppError('not_found', '页面不存在 (page not found)');
      render(res, 'mail', { title: '本地邮件', messages: [...catcher.messages].reverse(), smtp: catcher.url });
    });
  }
}
