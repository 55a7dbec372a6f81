import { APPLICATION_FIELDS } from '../domain/application/compare.ts';
import type { NextFunction, Request, Response } from 'express';
import type { ApplicationForm } from '../domain/case/model.ts';
import type { Actor } from '../domain/identity/roles.ts';
import type { AppError } from '../features/errors.ts';
import type { FileService, StoredFile } from '../features/files/fileService.ts';
import { FORM_UPLOAD_LIMITS, receivedUploads, removeScratch, uploadReceiver } from '../http/uploads.ts';

/** A form as it arrives: urlencoded or multipart fields, a repeated name giving an array. */
export type FormBody = Record<string, string | string[] | undefined>;

/** One uploaded document as a form shows it again: its id and name. */
export interface KeptFile {
  id: string;
  name: string;
}

/** The first value of a field, trimmed of nothing (the schemas trim), '' when absent. */
export function field(body: FormBody, name: string): string {
  const value = body[name];
  return (Array.isArray(value) ? value[0] : value) ?? '';
}

/** Every value of a repeated field (checkboxes), without empties. */
export function fields(body: FormBody, name: string): string[] {
  const value = body[name];
  return (Array.isArray(value) ? value : value === undefined ? [] : [value]).filter((v) => v !== '');
}

const checked = (body: FormBody, name: string) => ['true', 'on', '1'].includes(field(body, name));

/** The form's yes/no questions (checkboxes); every other field of attachment 2 is text, as is the uploaded report's id. */
const FLAG_FIELDS: readonly string[] = ['independentLegalPerson', 'declaresNoSeriousDishonesty'] satisfies (keyof ApplicationForm)[];
const TEXT_FIELDS = [...APPLICATION_FIELDS.filter((name) => !FLAG_FIELDS.includes(name)), 'creditReportFileId'] as const;

/** Attachment 2 as typed into the form; the schema coerces and checks it. */
export function applicationFrom(body: FormBody): Record<string, string | boolean> {
  const form: Record<string, string | boolean> = {};
  for (const name of TEXT_FIELDS) form[name] = field(body, name);
  form.independentLegalPerson = checked(body, 'independentLegalPerson');
  form.declaresNoSeriousDishonesty = checked(body, 'declaresNoSeriousDishonesty');
  return form;
}

/**
 * A draft keeps what was typed, but never the identity number (it is typed again on submission and
 * kept only in the register); empty fields are left out so the draft schema does not refuse them.
 */
export function draftFrom(form: Record<string, string | boolean>): Record<string, string | boolean> {
  return Object.fromEntries(Object.entries(form).filter(([name, value]) => value !== '' && name !== 'legalRepresentativeIdNumber'));
}

const receiveForm = uploadReceiver(FORM_UPLOAD_LIMITS);

type UploadRequest = Request & { uploadError?: AppError };

/**
 * Multipart forms: fields into req.body, files streamed to a scratch directory that is removed when
 * the response is over (at most 30 files and 100 MB a request, 20 MB a file). A refused upload does
 * not end the request: the route renders its form again with the error, keeping what was typed.
 * Routes put it after signedIn, so no anonymous upload reaches the disk.
 */
export function receiveUploads(req: Request, res: Response, next: NextFunction): void {
  receiveForm(req, res, (refused) => {
    if (refused) {
      (req as UploadRequest).uploadError = refused;
      req.body ??= {};
    }
    next();
  });
}

/** Throws the upload error receiveUploads set aside, inside the route's own try. */
export function throwUploadError(req: Request): void {
  const error = (req as UploadRequest).uploadError;
  if (error) throw error;
}

/** The files a form carries from an earlier submit: hidden `<name>FileId` and `evidenceIds.<item>` fields. */
function carriedFileIds(body: FormBody): Array<{ path: string; id: string }> {
  const carried: Array<{ path: string; id: string }> = [];
  for (const key of Object.keys(body)) {
    if (key.endsWith('FileId')) {
      const id = field(body, key);
      if (id) carried.push({ path: key, id });
    } else if (key.startsWith('evidenceIds.')) {
      field(body, key).split(',').filter(Boolean).forEach((id, i) => carried.push({ path: `${key}.${i}`, id }));
    }
  }
  return carried;
}

/**
 * Keeps the files of the request, by form field name: all of them after each is checked (a document
 * by its content, not empty), or none. Files the form carries from an earlier submit must be the
 * actor's own uploads. The scratch copies are removed whatever happens.
 */
export async function storeUploads(files: FileService, actor: Actor, req: Request): Promise<Map<string, StoredFile[]>> {
  try {
    await files.requireUploadedBy(actor, carriedFileIds((req.body ?? {}) as FormBody));
    const uploads = receivedUploads(req);
    const kept = await files.keep(actor, uploads);
    const stored = new Map<string, StoredFile[]>();
    uploads.forEach((upload, i) => stored.set(upload.field, [...(stored.get(upload.field) ?? []), kept[i]!]));
    return stored;
  } finally {
    await removeScratch(req);
  }
}

/**
 * The document of a file field: a new upload in `<name>`, or the one kept from before in the hidden
 * `<name>FileId` / `<name>FileName` fields (a refused submit, a correction).
 */
export function keptFile(body: FormBody, stored: Map<string, StoredFile[]>, name: string): KeptFile | null {
  const fresh = stored.get(name)?.[0];
  if (fresh) return { id: fresh.id, name: fresh.name };
  const id = field(body, `${name}FileId`);
  // a name the page lost is shown as "the uploaded file" in the reader's language (fileField.hbs)
  return id ? { id, name: field(body, `${name}FileName`) } : null;
}

/** Field names of a form with dotted suffixes, e.g. `score.1.2` → { '1.2': value }. */
export function prefixed(body: FormBody, prefix: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of Object.keys(body)) {
    if (key.startsWith(prefix)) out[key.slice(prefix.length)] = field(body, key);
  }
  return out;
}
