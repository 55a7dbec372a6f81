import type { NextFunction, Request, Response } from 'express';
import multer from 'multer';
import type { ApplicationForm } from '../domain/case/model.ts';
import type { Actor } from '../domain/identity/roles.ts';
import { AppError } from '../api/errors.ts';
import { MAX_FILE_BYTES, type FileService, type StoredFile } from '../api/files/fileService.ts';

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

const TEXT_FIELDS = [
  'enterpriseName',
  'uscc',
  'legalRepresentative',
  'legalRepresentativeIdNumber',
  'foundedOn',
  'registeredCapital',
  'industry',
  'district',
  'registeredAddress',
  'businessAddress',
  'postCode',
  'contactPhone',
  'fax',
  'mainBusiness',
  'reasons',
  'creditReportFileId',
] as const satisfies readonly (keyof ApplicationForm)[];

/** Attachment 2 as typed into the form; the schema coerces and checks it. */
export function applicationFrom(body: FormBody): Record<string, string | boolean> {
  const form: Record<string, string | boolean> = {};
  for (const name of TEXT_FIELDS) form[name] = field(body, name);
  form.independentLegalPerson = checked(body, 'independentLegalPerson');
  form.declaresNoSeriousDishonesty = checked(body, 'declaresNoSeriousDishonesty');
  return form;
}

/** A draft keeps what was typed; empty fields are left out so the draft schema does not refuse them. */
export function draftFrom(form: Record<string, string | boolean>): Record<string, string | boolean> {
  return Object.fromEntries(Object.entries(form).filter(([, value]) => value !== ''));
}

const upload = multer({ storage: multer.memoryStorage(), limits: { fileSize: MAX_FILE_BYTES, files: 400, fields: 2000 } });

type UploadRequest = Request & { uploadError?: AppError };

/**
 * Multipart forms: fields into req.body, files kept in memory. A refused upload (too large) does not
 * end the request: the route renders its form again with the error, keeping what was typed.
 */
export function receiveUploads(req: Request, res: Response, next: NextFunction): void {
  upload.any()(req, res, (error: unknown) => {
    if (error) {
      const code = (error as { code?: string }).code;
      const fieldName = (error as { field?: string }).field ?? 'file';
      (req as UploadRequest).uploadError =
        code === 'LIMIT_FILE_SIZE'
          ? new AppError('bad_request', `文件超过 ${MAX_FILE_BYTES / 1024 / 1024} MB (the file is too large)`, [{ path: fieldName, rule: 'at most 20 MB' }])
          : new AppError('bad_request', `上传失败 (upload refused): ${code ?? 'unreadable form'}`, [{ path: fieldName, rule: 'a readable multipart form' }]);
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

/** Stores every file of the request through the file service, by form field name. */
export async function storeUploads(files: FileService, actor: Actor, req: Request): Promise<Map<string, StoredFile[]>> {
  const stored = new Map<string, StoredFile[]>();
  const received = Array.isArray(req.files) ? req.files : [];
  for (const file of received) {
    if (file.size === 0) throw new AppError('bad_request', `文件为空：${file.fieldname} (the file is empty)`, [{ path: file.fieldname, rule: 'must not be empty' }]);
    // browsers send the name as UTF-8 bytes, which busboy reads as latin1
    const name = Buffer.from(file.originalname, 'latin1').toString('utf8');
    const record = await files.store(actor, { name, mime: file.mimetype, content: file.buffer });
    stored.set(file.fieldname, [...(stored.get(file.fieldname) ?? []), record]);
  }
  return stored;
}

/**
 * The document of a file field: a new upload in `<name>`, or the one kept from before in the hidden
 * `<name>FileId` / `<name>FileName` fields (a refused submit, a correction).
 */
export function keptFile(body: FormBody, stored: Map<string, StoredFile[]>, name: string): KeptFile | null {
  const fresh = stored.get(name)?.[0];
  if (fresh) return { id: fresh.id, name: fresh.name };
  const id = field(body, `${name}FileId`);
  return id ? { id, name: field(body, `${name}FileName`) || '已上传的文件' } : null;
}

/** Field names of a form with dotted suffixes, e.g. `score.1.2` → { '1.2': value }. */
export function prefixed(body: FormBody, prefix: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of Object.keys(body)) {
    if (key.startsWith(prefix)) out[key.slice(prefix.length)] = field(body, key);
  }
  return out;
}
