import Handlebars from 'handlebars';
import { readFileSync } from 'node:fs';

const TEMPLATE_DIR = new URL('../templates/mail/', import.meta.url);

export const MAIL_TEMPLATES = ['task-assigned', 'decision'] as const;
export type MailTemplate = (typeof MAIL_TEMPLATES)[number];

export interface RenderedMail {
  subject: string;
  html: string;
  text: string;
}

type Compiled = Record<keyof RenderedMail, Handlebars.TemplateDelegate>;

/** Compiles every mail template once; rendering is then a pure function of the data. */
export function loadMailTemplates(): (template: MailTemplate, data: Record<string, unknown>) => RenderedMail {
  const compiled = new Map<MailTemplate, Compiled>();
  for (const name of MAIL_TEMPLATES) {
    const part = (kind: string, noEscape: boolean) =>
      Handlebars.compile(readFileSync(new URL(`${name}.${kind}.hbs`, TEMPLATE_DIR), 'utf8'), { noEscape, strict: true });
    compiled.set(name, { subject: part('subject', true), html: part('html', false), text: part('text', true) });
  }
  return (template, data) => {
    const parts = compiled.get(template)!;
    return { subject: parts.subject(data).trim(), html: parts.html(data), text: parts.text(data) };
  };
}
