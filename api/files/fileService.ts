import { createHash, randomUUID } from 'node:crypto';
import { OFFICE_ROLES, type Actor } from '../../domain/identity/roles.ts';
import { FileRecord } from '../../infra/db/entities.ts';
import type { Orm } from '../../infra/db/orm.ts';
import { AppError } from '../errors.ts';

export const MAX_FILE_BYTES = 20 * 1024 * 1024;

export interface StoredFile {
  id: string;
  name: string;
  mime: string;
  size: number;
  sha256: string;
}


/** Uploaded documents (credit reports, plans, reports, signed letters, evidence), kept in the database. */
export function createFileService(orm: Orm) {
  const describe = (f: FileRecord): StoredFile => ({ id: f.id, name: f.name, mime: f.mime, size: f.size, sha256: f.sha256 });
  return {
    async store(actor: Actor, upload: { name: string; mime: string; content: Buffer }): Promise<StoredFile> {
      if (upload.content.length === 0) throw new AppError('bad_request', 'the file is empty', [{ path: 'file', rule: 'must not be empty' }]);
      const em = orm.em.fork();
      const record = em.create(FileRecord, {
        id: randomUUID(),
        ownerUscc: actor.role === 'enterprise' ? actor.scopeId : null,
        uploadedBy: actor.userId,
        name: upload.name.slice(0, 255),
        mime: upload.mime || 'application/octet-stream',
        size: upload.content.length,
        sha256: createHash('sha256').update(upload.content).digest('hex'),
        content: upload.content,
        createdAt: new Date(),
      });
      await em.flush();
      return describe(record);
    },

    /** Files an enterprise hands in must be its own uploads; names each one that is not. */
    async requireOwned(uscc: string, fileIds: Array<{ path: string; id: string }>): Promise<void> {
      if (!fileIds.length) return;
      const found = await orm.em.fork().find(FileRecord, { id: { $in: fileIds.map((f) => f.id) }, ownerUscc: uscc }, { fields: ['id'] });
      const known = new Set(found.map((f) => f.id));
      const missing = fileIds.filter((f) => !known.has(f.id));
      if (missing.length) {
        throw new AppError('bad_request', `unknown files: ${missing.map((m) => m.path).join(', ')}`, missing.map((m) => ({ path: m.path, rule: 'must be a file your enterprise uploaded' })));
      }
    },

    /** Its uploader, its enterprise and the offices may read a file; consultants read their cases' files through the case. */
    async read(actor: Actor, id: string): Promise<StoredFile & { content: Buffer }> {
      const file = await orm.em.fork().findOne(FileRecord, { id }, { populate: ['content'] });
      const allowed = file && (file.uploadedBy === actor.userId || (actor.role === 'enterprise' && file.ownerUscc === actor.scopeId) || OFFICE_ROLES.has(actor.role) || actor.role === 'consultant');
      if (!file || !allowed) throw new AppError('not_found', `no file ${id}`);
      return { ...describe(file), content: Buffer.from(file.content) };
    },
  };
}

export type FileService = ReturnType<typeof createFileService>;
