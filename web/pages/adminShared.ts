import type { Request, Response } from 'express';
import type { Locale } from '../../domain/i18n/labels.ts';
import { translate } from '../i18n/i18n.ts';
import type { FormBody } from '../forms.ts';

/** The sections of administration, in the order of its sub-navigation. */
export type AdminSection = 'overview' | 'programs' | 'users' | 'agencies' | 'certificates' | 'audit' | 'mailTemplates';

/** A message of the admin catalogue in the reader's language (page titles, notices). */
export const say = (res: Response, key: string, values: Record<string, unknown> = {}) => translate(res.locals.locale as Locale, `admin.${key}`, values);

/** What a page was redirected back after (?done=…), if it is one this page announces. */
export function doneOf(req: Request, known: readonly string[]): string | null {
  const done = req.query.done;
  return typeof done === 'string' && known.includes(done) ? done : null;
}

/** A GET form's fields without the empty ones: an empty box searches for nothing. */
export function filled(query: Request['query']): Record<string, string> {
  return Object.fromEntries(Object.entries(query).filter((entry): entry is [string, string] => typeof entry[1] === 'string' && entry[1].trim() !== ''));
}

/** The named fields of a posted form, as typed (for showing the form again). */
export function formFields(body: FormBody, names: readonly string[]): Record<string, string> {
  return Object.fromEntries(names.map((name) => {
    const value = body[name];
    return [name, (Array.isArray(value) ? value[0] : value) ?? ''];
  }));
}
