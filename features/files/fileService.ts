import { createHash, randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { actorMaySeeCase } from '../../domain/case/authority.ts';
import { CITY_SCOPE, summaryListAccess } from '../../domain/documents/summaryList.ts';
import { isUuid } from '../../domain/case/files.ts';
import type { Actor } from '../../domain/identity/roles.ts';
import { CaseFileRecord, CaseRecord, FileRecord, SummaryListRecord } from '../../infra/db/entities.ts';
import type { Orm } from '../../infra/db/orm.ts';
import { removeOrphanFiles } from '../../infra/db/fileRetention.ts';
import { AppError } from '../errors.ts';
import { DOCUMENT_TYPES_RULE, documentTypeOf } from './contentType.ts';

/** A file of the request as it lies in scratch storage, checked and kept (or not) by the file service. */
export interface ReceivedUpload {
  /** the form field it came in */
  field: string;
  name: string;
  path: string;
  size: number;
}

export interface StoredFile {
  id: string;
  name: string;
  mime: string;
  size: number;
  sha256: string;
}

type EntityManager = ReturnType<Orm['em']['fork']>;

/** The type of an upload, told from its content; refused (naming its field) unless it is a document we take. */
async function requireDocument(upload: ReceivedUpload): Promise<string> {
  if (upload.size === 0) {
    throw new AppError('bad_request', `文件为空：${upload.name} (the file is empty)`, [{ path: upload.field, rule: '文件不能为空 (must not be empty)' }]);
  }
  const mime = await documentTypeOf(upload.path);
  if (!mime) throw new AppError('bad_request', `不接受此类文件：${upload.name} (only PDF, images and office documents are accepted)`, [{ path: upload.field, rule: DOCUMENT_TYPES_RULE }]);
  return mime;
}

/** Its uploader's: the person, or the enterprise they upload for. */
function ownsFile(actor: Actor, file: Pick<FileRecord, 'uploadedBy' | 'ownerUscc'>): boolean {
  return file.uploadedBy === actor.userId || (actor.role === 'enterprise' && !!file.ownerUscc && file.ownerUscc === actor.scopeId);
}

/**
 * Its uploader may read a file, whoever may see a case that took it up (case_files), and whoever may
 * have the 汇总表 it is (summary_lists); nobody else.
 */
async function mayRead(em: EntityManager, actor: Actor, file: FileRecord): Promise<boolean> {
  if (ownsFile(actor, file)) return true;
  const lists = await em.find(SummaryListRecord, { fileId: file.id }, { fields: ['scope'] });
  if (lists.some((l) => summaryListAccess(actor, l.scope === CITY_SCOPE ? null : l.scope) === 'allowed')) return true;
  const links = await em.find(CaseFileRecord, { fileId: file.id });
  if (!links.length) return false;
  const cases = await em.find(CaseRecord, { id: { $in: links.map((l) => l.caseId) } }, { fields: ['district', 'enterpriseUscc', 'consultantUserId', 'agencyId'] });
  return cases.some((c) => actorMaySeeCase(actor, { district: c.district, enterpriseUscc: c.enterpriseUscc, consultantUserId: c.consultantUserId ?? null, agencyId: c.agencyId ?? null }));
}

/** Uploaded documents (credit reports, plans, reports, signed letters, evidence), kept in the database. */
export function createFileService(orm: Orm) {
  const describe = (f: Pick<FileRecord, 'id' | 'name' | 'mime' | 'size' | 'sha256'>): StoredFile => ({ id: f.id, name: f.name, mime: f.mime, size: f.size, sha256: f.sha256 });
  return {
    /**
     * Keeps the uploads of one request, all or none: each is checked first (not empty, a document
     * by its content), and stored with the type its content shows, not the one the client claimed.
     */
    async keep(actor: Actor, uploads: ReceivedUpload[]): Promise<StoredFile[]> {
      const types = new Map<ReceivedUpload, string>();
      for (const upload of uploads) types.set(upload, await requireDocument(upload));
      if (!uploads.length) return [];
      return orm.em.fork().transactional(async (em) => {
        const stored: StoredFile[] = [];
        for (const upload of uploads) {
          const content = await readFile(upload.path);
          const record = {
            id: randomUUID(),
            ownerUscc: actor.role === 'enterprise' ? actor.scopeId : null,
            uploadedBy: actor.userId,
            name: upload.name,
            mime: types.get(upload)!,
            size: content.length,
            sha256: createHash('sha256').update(content).digest('hex'),
            content,
            createdAt: new Date(),
          };
          await em.insert(FileRecord, record);
          stored.push(describe(record));
        }
        return stored;
      });
    },

    /** Files an enterprise hands in must be its own uploads; names each one that is not. */
    async requireOwned(uscc: string, fileIds: Array<{ path: string; id: string }>): Promise<void> {
      if (!fileIds.length) return;
      const ids = fileIds.map((f) => f.id).filter(isUuid);
      const found = ids.length ? await orm.em.fork().find(FileRecord, { id: { $in: ids }, ownerUscc: uscc }, { fields: ['id'] }) : [];
      const known = new Set(found.map((f) => f.id));
      const missing = fileIds.filter((f) => !known.has(f.id));
      if (missing.length) {
        throw new AppError('bad_request', `unknown files: ${missing.map((m) => m.path).join(', ')}`, missing.map((m) => ({ path: m.path, rule: 'must be a file your enterprise uploaded' })));
      }
    },

    /** Files a form carries from before (a refused submit) must be the actor's own uploads; names each one that is not. */
    async requireUploadedBy(actor: Actor, fileIds: Array<{ path: string; id: string }>): Promise<void> {
      const ids = fileIds.map((f) => f.id).filter(isUuid);
      const found = ids.length ? await orm.em.fork().find(FileRecord, { id: { $in: ids } }, { fields: ['id', 'uploadedBy', 'ownerUscc'] }) : [];
      const own = new Set(found.filter((f) => ownsFile(actor, f)).map((f) => f.id));
      const foreign = fileIds.filter((f) => !own.has(f.id));
      if (foreign.length) {
        const rule = '必须是您上传的文件 (must be a file you uploaded)';
        throw new AppError('bad_request', `${rule}: ${foreign.map((f) => f.path).join(', ')}`, foreign.map((f) => ({ path: f.path, rule })));
      }
    },

    /** A file for someone who may read it (its uploader, those who may see a case that took it up or have the list it is); 404 for everyone else. */
    async read(actor: Actor, id: string): Promise<StoredFile & { content: Buffer }> {
      const em = orm.em.fork();
      const file = isUuid(id) ? await em.findOne(FileRecord, { id }) : null;
      if (!file || !(await mayRead(em, actor, file))) throw new AppError('not_found', `没有这个文件 (no file ${id})`);
      const withContent = await orm.em.fork().findOneOrFail(FileRecord, { id }, { populate: ['content'] });
      return { ...describe(withContent), content: Buffer.from(withContent.content) };
    },

    /**
     * The original names of files, by id, for a page that lists them (evidence, materials): only of
     * files the actor may read (their own uploads, or taken up by a case they may see); others are left out.
     */
    async names(actor: Actor, ids: readonly string[]): Promise<Map<string, string>> {
      const wanted = [...new Set(ids.filter(isUuid))];
      if (!wanted.length) return new Map();
      const em = orm.em.fork();
      const found = await em.find(FileRecord, { id: { $in: wanted } }, { fields: ['id', 'name', 'uploadedBy', 'ownerUscc'] });
      const names = new Map(found.filter((f) => ownsFile(actor, f)).map((f) => [f.id, f.name]));
      const others = found.filter((f) => !names.has(f.id));
      if (!others.length) return names;
      const links = await em.find(CaseFileRecord, { fileId: { $in: others.map((f) => f.id) } });
      const cases = links.length ? await em.find(CaseRecord, { id: { $in: [...new Set(links.map((l) => l.caseId))] } }, { fields: ['id', 'district', 'enterpriseUscc', 'consultantUserId', 'agencyId'] }) : [];
      const visible = new Set(cases.filter((c) => actorMaySeeCase(actor, { district: c.district, enterpriseUscc: c.enterpriseUscc, consultantUserId: c.consultantUserId ?? null, agencyId: c.agencyId ?? null })).map((c) => c.id));
      for (const link of links) {
        const file = others.find((f) => f.id === link.fileId);
        if (file && visible.has(link.caseId)) names.set(file.id, file.name);
      }
      return names;
    },

    removeOrphans: (now?: Date) => removeOrphanFiles(orm, now),
  };
}

export type FileService = ReturnType<typeof createFileService>;
