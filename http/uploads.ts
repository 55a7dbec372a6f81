import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { NextFunction, Request, Response } from 'express';
import multer from 'multer';
import { AppError } from '../features/errors.ts';
import type { ReceivedUpload } from '../features/files/fileService.ts';

export type { ReceivedUpload };

const MB = 1024 * 1024;

/** How much one request may upload. */
export interface UploadLimits {
  files: number;
  fileBytes: number;
  totalBytes: number;
  /** text fields beside the files */
  fields: number;
}

export const MAX_FILE_BYTES = 20 * MB;
/** The API takes one document per request. */
export const API_UPLOAD_LIMITS: UploadLimits = { files: 1, fileBytes: MAX_FILE_BYTES, totalBytes: MAX_FILE_BYTES, fields: 20 };
/** A web form carries its documents and its evidence at once: the acceptance sheet is the largest. */
export const FORM_UPLOAD_LIMITS: UploadLimits = { files: 30, fileBytes: MAX_FILE_BYTES, totalBytes: 100 * MB, fields: 2000 };


/** Per-request scratch directories are named so; a test can tell this process's own. */
export const SCRATCH_PREFIX = `credcase-upload-${process.pid}-`;

interface Scratch {
  dir: Promise<string> | null;
  received: number;
  bytes: number;
  closed: boolean;
}
const scratches = new WeakMap<Request, Scratch>();

/** The request's scratch directory and everything in it, gone; safe to call more than once. */
export async function removeScratch(req: Request): Promise<void> {
  const scratch = scratches.get(req);
  if (!scratch?.dir) return;
  const dir = scratch.dir;
  scratch.dir = null;
  await rm(await dir.catch(() => ''), { recursive: true, force: true }).catch(() => undefined);
}

class UploadRefused extends Error {
  readonly status: 'bad_request' | 'payload_too_large';
  readonly field: string;
  readonly rule: string;
  constructor(status: 'bad_request' | 'payload_too_large', field: string, message: string, rule: string) {
    super(message);
    this.status = status;
    this.field = field;
    this.rule = rule;
  }
}

const tooMany = (limits: UploadLimits, field: string) =>
  new UploadRefused('bad_request', field, `一次最多上传 ${limits.files} 个文件 (at most ${limits.files} file(s) per request)`, `每次最多 ${limits.files} 个文件 (at most ${limits.files} file(s) per request)`);
const tooMuch = (limits: UploadLimits, field: string) =>
  new UploadRefused('payload_too_large', field, `一次上传的文件合计超过 ${limits.totalBytes / MB} MB (the files of one request are too large together)`, `每次合计最多 ${limits.totalBytes / MB} MB (at most ${limits.totalBytes / MB} MB per request)`);

/**
 * Streams each file to a scratch directory of its own request, counting what the request has sent:
 * nothing is held in memory and nothing beyond the request's total reaches the disk.
 */
class ScratchStorage implements multer.StorageEngine {
  private readonly limits: UploadLimits;
  constructor(limits: UploadLimits) {
    this.limits = limits;
  }

  _handleFile(req: Request, file: Express.Multer.File, callback: (error?: unknown, info?: Partial<Express.Multer.File>) => void): void {
    this.write(req, file).then((info) => callback(null, info), (error: unknown) => callback(error));
  }

  _removeFile(_req: Request, file: Express.Multer.File, callback: (error: Error | null) => void): void {
    rm(file.path, { force: true }).then(() => callback(null), (error: Error) => callback(error));
  }

  private async write(req: Request, file: Express.Multer.File): Promise<Partial<Express.Multer.File>> {
    const scratch = scratches.get(req);
    if (!scratch || scratch.closed) throw new Error('the request is over');
    scratch.dir ??= mkdtemp(join(tmpdir(), SCRATCH_PREFIX));
    const destination = await scratch.dir;
    const filename = randomUUID();
    const path = join(destination, filename);
    const { limits } = this;
    let size = 0;
    const counter = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        size += chunk.length;
        scratch.bytes += chunk.length;
        done(scratch.bytes > limits.totalBytes ? tooMuch(limits, file.fieldname) : null, chunk);
      },
    });
    await pipeline(file.stream, counter, createWriteStream(path, { flags: 'wx' }));
    return { destination, filename, path, size };
  }
}

/** A multer limit or a malformed body, as the AppError that names the field and its rule. */
function refusal(error: unknown, limits: UploadLimits): AppError {
  if (error instanceof UploadRefused) return new AppError(error.status, error.message, [{ path: error.field, rule: error.rule }]);
  const { code, field } = (error ?? {}) as { code?: string; field?: string };
  const path = field || 'file';
  switch (code) {
    case 'LIMIT_FILE_SIZE':
      return new AppError('payload_too_large', `文件超过 ${limits.fileBytes / MB} MB (the file is too large)`, [{ path, rule: `每个文件最多 ${limits.fileBytes / MB} MB (at most ${limits.fileBytes / MB} MB)` }]);
    case 'LIMIT_FILE_COUNT': {
      const many = tooMany(limits, path);
      return new AppError(many.status, many.message, [{ path, rule: many.rule }]);
    }
    case 'LIMIT_FIELD_COUNT':
    case 'LIMIT_PART_COUNT':
      return new AppError('payload_too_large', '表单字段过多 (too many form fields)', [{ path: '(body)', rule: `最多 ${limits.fields} 个字段 (at most ${limits.fields} fields)` }]);
    case 'LIMIT_FIELD_VALUE':
    case 'LIMIT_FIELD_KEY':
      return new AppError('payload_too_large', '表单字段过长 (a form field is too long)', [{ path: field || '(body)', rule: '字段过长 (too long)' }]);
    default:
      return new AppError('bad_request', '上传的表单无法读取 (the multipart form could not be read)', [{ path: field || '(body)', rule: '可读取的 multipart 表单 (a readable multipart form)' }]);
  }
}

/**
 * The multipart receiver for the given limits: files into req.files (on scratch disk), fields into
 * req.body. The scratch directory is removed when the response is over, however it ends. The
 * callback gets the refusal (an AppError naming the field) or nothing.
 */
export function uploadReceiver(limits: UploadLimits) {
  const parse = multer({
    storage: new ScratchStorage(limits),
    // one more than allowed reaches the filter, which names the field that went over
    limits: { files: limits.files + 1, fileSize: limits.fileBytes, fields: limits.fields, parts: limits.files + limits.fields + 1, fieldSize: MB },
    fileFilter: (req, file, accept) => {
      const scratch = scratches.get(req)!;
      scratch.received += 1;
      if (scratch.received > limits.files) accept(tooMany(limits, file.fieldname));
      else accept(null, true);
    },
  }).any();
  return (req: Request, res: Response, done: (refused: AppError | null) => void): void => {
    scratches.set(req, { dir: null, received: 0, bytes: 0, closed: false });
    res.once('close', () => {
      scratches.get(req)!.closed = true;
      void removeScratch(req);
    });
    parse(req, res, (error?: unknown) => done(error ? refusal(error, limits) : null));
  };
}

// control and format characters (zero-width, direction overrides) and path separators: a name is shown, never obeyed
const UNSAFE_NAME_CHARACTERS = /[\p{Cc}\p{Cf}\u2028\u2029/\\]/gu;

/** A file's name as the user gave it, made safe to store and show. */
export function documentName(raw: string): string {
  // browsers send the name as UTF-8 bytes, which busboy reads as latin1
  const name = Buffer.from(raw, 'latin1').toString('utf8').replace(UNSAFE_NAME_CHARACTERS, '_').trim();
  return name.slice(0, 255) || '未命名文件';
}

/** The files multer received, in the form the file service checks and keeps. */
export function receivedUploads(req: Request): ReceivedUpload[] {
  const files = Array.isArray(req.files) ? req.files : [];
  return files.map((file) => ({ field: file.fieldname, name: documentName(file.originalname), path: file.path, size: file.size }));
}

/** Express middleware form, for routes that end the request on a refusal. */
export function receiveOrRefuse(limits: UploadLimits) {
  const receive = uploadReceiver(limits);
  return (req: Request, res: Response, next: NextFunction) => receive(req, res, (refused) => next(refused ?? undefined));
}
