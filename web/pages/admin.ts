import { AppError } from '../../features/errors.ts';
import { MAIL_LOCALES, MAIL_TEMPLATE_LABELS, MAIL_TEMPLATES, SAMPLE_DATA, isMailLocale, isMailTemplate, loadMailTemplates, type RenderMail } from '../../activities/notifications/templates.ts';
import { sandboxedHtml } from '../security/headers.ts';
import type { PageKit } from '../pageKit.ts';
import type { Express, Request } from 'express';

/** The administrator's pages: mail templates and, in development, caught mail. */
export function adminPages(web: Express, kit: PageKit): void {
  const { options, render, signedIn, actorOf } = kit;
  // ---- 邮件模板预览 (admin): every template in every locale, rendered with its sample data ----

  let mailTemplates: RenderMail | null = null;
  const renderMail: RenderMail = (template, data, locale) => (mailTemplates ??= loadMailTemplates())(template, data, locale);
  const adminOnly = (req: Request) => {
    if (actorOf(req).role !== 'admin') throw new AppError('forbidden', '邮件模板预览仅限系统管理员 (admins only)');
  };

  web.get('/admin/mail-templates', signedIn, (req, res) => {
    adminOnly(req);
    const templates = MAIL_TEMPLATES.map((name) => ({
      name,
      label: MAIL_TEMPLATE_LABELS[name],
      locales: MAIL_LOCALES.map((locale) => ({ locale, subject: renderMail(name, SAMPLE_DATA[name], locale).subject })),
    }));
    render(res, 'mailTemplates', { title: '邮件模板', wide: true, templates });
  });

  const previewOf = (req: Request) => {
    adminOnly(req);
    const template = String(req.params.template);
    const locale = typeof req.query.locale === 'string' ? req.query.locale : 'zh-CN';
    if (!isMailTemplate(template) || !isMailLocale(locale)) throw new AppError('not_found', `没有邮件模板 ${template}（${locale}）(no such mail template)`);
    return { template, locale, data: SAMPLE_DATA[template] };
  };

  web.get('/admin/mail-templates/:template', signedIn, (req, res) => {
    const { template, locale, data } = previewOf(req);
    render(res, 'mailTemplates', {
      title: `邮件模板 · ${template}`,
      wide: true,
      preview: { name: template, label: MAIL_TEMPLATE_LABELS[template], locale, locales: MAIL_LOCALES, mail: renderMail(template, data, locale), data },
    });
  });

  // the HTML part on its own, for the preview's sandboxed frame: mail needs inline styles, the pages allow none
  web.get('/admin/mail-templates/:template/html', signedIn, (req, res) => {
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
