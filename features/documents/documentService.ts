import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { DOCUMENT_LABELS, SIGNED_FORMS, documentsOfTrack, signedFormsIn, type DocumentKind } from '../../domain/documents/documents.ts';
import type { Actor } from '../../domain/identity/roles.ts';
import type { TrackId } from '../../domain/program/types.ts';
import { CaseDocumentRecord, CaseFileRecord, DocumentProgressRecord, DocumentScanRecord, FileRecord, TaskRecord, type CaseRecord } from '../../infra/db/entities.ts';
import type { Orm } from '../../infra/db/orm.ts';
import type { CaseService } from '../cases/caseService.ts';
import { AppError } from '../errors.ts';
import type { FileService } from '../files/fileService.ts';

/** What a signed scan may be: a PDF or a photo of the stamped paper. */
const SCAN_TYPES: ReadonlySet<string> = new Set(['application/pdf', 'image/jpeg', 'image/png']);

export interface PrintedDocument {
  kind: DocumentKind;
  status: 'ready';
  fileId: string;
  sha256: string;
  /** false: the input had not changed, the file printed before is the one */
  generated: boolean;
}
export interface DocumentProgress {
  done: number;
  total: number;
  step: string;
}
export interface PrintingDocument {
  kind: DocumentKind;
  status: 'printing';
  progress: DocumentProgress | null;
}

export interface SignedScan {
  fileId: string;
  name: string;
  uploadedByName: string;
  uploadedAt: Date;
  /** whether the scan was made from the document as it is now printed (unknown for one handed in with a task) */
  ofCurrentPrint: boolean | null;
  /** the kind of task it came with (the acceptance materials, the recommendation), or null: uploaded on the case page */
  handedInWith: string | null;
}

/** A document of a case as its page lists it: printed or not, printing now, and its signed scans. */
export interface DocumentStatus {
  kind: DocumentKind;
  label: string;
  status: 'ready' | 'printing' | 'none';
  file: { fileId: string; sha256: string; createdAt: Date } | null;
  progress: DocumentProgress | null;
  /** a form is printed to be signed and stamped, then handed back as a scan */
  signable: boolean;
  scans: SignedScan[];
}

export const documentWorkflowId = (caseId: string, kind: DocumentKind) => `document-${caseId}-${kind}`;

/**
 * The documents of a case: printed on request (a caseDocument workflow per case and kind, so a
 * failure retries there and never holds up another case), listed with their progress, and the
 * signed scans the enterprise or its district hands back against them. Whoever may see the case may
 * print and download; the rest get 404 from the case lookup.
 */
export function createDocumentService(deps: { orm: Orm; temporal: Client; taskQueue: string; cases: CaseService; files: FileService; waitMs: number }) {
  const { orm, temporal, taskQueue, cases, files, waitMs } = deps;
  /** The case, when this kind of document belongs to its track (409 naming the kind otherwise). */
  const caseOf = async (actor: Actor, caseId: string, kind: DocumentKind): Promise<CaseRecord> => {
    const record = await cases.caseRecord(actor, caseId);
    if (!documentsOfTrack(record.track as TrackId).includes(kind)) {
      throw new AppError('conflict', `此类案件没有“${DOCUMENT_LABELS[kind]}” (no such document for a case of this track)`, [
        { path: 'documentKind', rule: `应为 ${documentsOfTrack(record.track as TrackId).join(', ')} 之一 (one of the track's documents)` },
      ]);
    }
    return record;
  };

  /** The progress of the printing under way: written since it started, or (not knowing when) not yet finished. */
  const progressOf = async (caseId: string, kind: DocumentKind, since: Date | null): Promise<DocumentProgress | null> => {
    const row = await orm.em.fork().findOne(DocumentProgressRecord, { caseId, kind });
    const current = row && (since ? row.updatedAt >= since : row.done < row.total);
    return current ? { done: row.done, total: row.total, step: row.step } : null;
  };

  /** The run printing this document now, with when it started; null when none runs. */
  const runningSince = async (caseId: string, kind: DocumentKind): Promise<Date | null> => {
    try {
      const described = await temporal.workflow.getHandle(documentWorkflowId(caseId, kind)).describe();
      return described.status.name === 'RUNNING' ? described.startTime : null;
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) return null;
      throw error;
    }
  };

  const service = {
    /**
     * The document printed now (or, when its input has not changed, the one printed before). The
     * certificate exists once the case is certified; the score sheet once the acceptance materials are in.
     */
    async print(actor: Actor, caseId: string, kind: DocumentKind): Promise<PrintedDocument | PrintingDocument> {
      const record = await caseOf(actor, caseId, kind);
      if (kind === 'certificate' && !record.certificateNumber) throw new AppError('conflict', '案件尚未发证 (the case has no certificate yet)', [{ path: 'documentKind', rule: 'certificate: only once certified' }]);
      if (kind === 'self_evaluation' && !record.acceptance) throw new AppError('conflict', '尚未提交自评表 (no self-evaluation has been handed in yet)', [{ path: 'documentKind', rule: 'self_evaluation: only once the acceptance materials are in' }]);
      const handle = await temporal.workflow.start('caseDocument', { workflowId: documentWorkflowId(caseId, kind), taskQueue, args: [{ caseId, kind }], workflowIdConflictPolicy: 'USE_EXISTING' });
      // forms print in a second or two; a package of many scans may take longer: past the wait the
      // request answers "printing" and the document's page follows it
      let timer: NodeJS.Timeout | undefined;
      const result = handle.result() as Promise<{ fileId: string; sha256: string; generated: boolean }>;
      // a printing that fails after the request stopped waiting is the document page's to show, not this request's
      result.catch(() => undefined);
      const waited = waitMs > 0 ? await Promise.race([result, new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), waitMs)))]).finally(() => clearTimeout(timer)) : null;
      if (waited) return { kind, status: 'ready', ...waited };
      return { kind, status: 'printing', progress: await progressOf(caseId, kind, null) };
    },

    /** One document of the case: ready (with its file), printing (with its progress) or not printed yet, and its scans. */
    async status(actor: Actor, caseId: string, kind: DocumentKind): Promise<DocumentStatus> {
      const record = await caseOf(actor, caseId, kind);
      return (await statuses(record, [kind], true))[0]!;
    },

    /** Every document the case's track has, in the track's order (the case page lists them). */
    async list(actor: Actor, caseId: string): Promise<DocumentStatus[]> {
      const record = await cases.caseRecord(actor, caseId);
      return statuses(record, documentsOfTrack(record.track as TrackId), false);
    },

    /**
     * Who may hand back a signed scan, before anything they sent is looked at: the enterprise, or its
     * district (which receives the paper), of a case they may see; a form meant to be signed.
     */
    async requireScanHandler(actor: Actor, caseId: string, kind: DocumentKind): Promise<void> {
      await caseOf(actor, caseId, kind);
      if (actor.role !== 'enterprise' && actor.role !== 'district_officer') {
        throw new AppError('forbidden', '签章扫描件由企业或所在镇（区）上传 (the enterprise or its district hands in the signed scan)');
      }
      if (!SIGNED_FORMS.has(kind)) throw new AppError('conflict', `“${DOCUMENT_LABELS[kind]}”无需签章回传 (this document is not signed and handed back)`, [{ path: 'documentKind', rule: `应为 ${[...SIGNED_FORMS].join(', ')} 之一 (a form to sign)` }]);
    },

    /**
     * 签字盖章扫描件: the signed and stamped form handed back against the printed document. The file
     * must be the uploader's own upload, a PDF or a JPEG/PNG scan. Handing in the same file again
     * changes nothing.
     */
    async attachSignedScan(actor: Actor, caseId: string, kind: DocumentKind, fileId: string): Promise<SignedScan> {
      await service.requireScanHandler(actor, caseId, kind);
      const em = orm.em.fork();
      const printed = await em.findOne(CaseDocumentRecord, { caseId, kind });
      if (!printed) throw new AppError('conflict', `请先打印“${DOCUMENT_LABELS[kind]}”，签字盖章后再上传扫描件 (print the form first)`, [{ path: 'documentKind', rule: '先打印 (printed first)' }]);
      await files.requireUploadedBy(actor, [{ path: 'fileId', id: fileId }]);
      const file = await em.findOneOrFail(FileRecord, { id: fileId }, { fields: ['id', 'name', 'mime'] });
      if (!SCAN_TYPES.has(file.mime)) throw new AppError('bad_request', `扫描件应为 PDF 或 JPEG/PNG 图片：${file.name} (a scan is a PDF or a JPEG/PNG image)`, [{ path: 'fileId', rule: 'PDF、JPEG 或 PNG (a PDF, JPEG or PNG)' }]);
      const scan = { fileId, caseId, kind, printedSha256: printed.sha256, uploadedBy: actor.userId, uploadedByName: actor.name, uploadedAt: new Date() };
      const kept = await em.transactional(async (tx) => {
        const earlier = await tx.findOne(DocumentScanRecord, { fileId });
        if (earlier && (earlier.caseId !== caseId || earlier.kind !== kind)) {
          throw new AppError('conflict', '该文件已作为其他文书的扫描件上传 (the file is already the scan of another document)', [{ path: 'fileId', rule: '每个扫描件只对应一份文书 (one document per scan)' }]);
        }
        if (earlier) return earlier;
        await tx.insert(DocumentScanRecord, scan);
        await tx.upsert(CaseFileRecord, { caseId, fileId }, { onConflictAction: 'ignore' });
        return scan;
      });
      return { fileId, name: file.name, uploadedByName: kept.uploadedByName, uploadedAt: kept.uploadedAt, ofCurrentPrint: kept.printedSha256 === printed.sha256, handedInWith: null };
    },
  };

  /**
   * Documents with their scans. `live` asks Temporal whether each is printing now (one document's
   * page); a list asks only for those whose binding has reported progress and not finished.
   */
  const statuses = async (record: CaseRecord, kinds: readonly DocumentKind[], live: boolean): Promise<DocumentStatus[]> => {
    const em = orm.em.fork();
    const [printed, uploaded, progress, completed] = await Promise.all([
      em.find(CaseDocumentRecord, { caseId: record.id, kind: { $in: [...kinds] } }),
      em.find(DocumentScanRecord, { caseId: record.id, kind: { $in: [...kinds] } }),
      em.find(DocumentProgressRecord, { caseId: record.id, kind: { $in: [...kinds] } }),
      em.find(TaskRecord, { caseId: record.id, status: 'completed' }, { fields: ['kind', 'result', 'completedAt', 'completedByName'] }),
    ]);
    const unfinished = new Set(progress.filter((p) => p.done < p.total).map((p) => p.kind));
    // scans uploaded on the case page, and the signed forms tasks handed in (the 承诺书 with the acceptance materials)
    const scans = [
      ...uploaded.map((s) => ({ kind: s.kind, fileId: s.fileId, uploadedByName: s.uploadedByName, uploadedAt: s.uploadedAt, printedSha256: s.printedSha256 as string | null, handedInWith: null as string | null })),
      ...completed.flatMap((task) =>
        signedFormsIn(task.result).map(({ kind, fileId }) => ({ kind: kind as string, fileId, uploadedByName: task.completedByName ?? '', uploadedAt: task.completedAt!, printedSha256: null, handedInWith: task.kind })),
      ),
    ]
      .sort((a, b) => b.uploadedAt.getTime() - a.uploadedAt.getTime())
      // a file handed in with a task and uploaded again as the scan counts once
      .filter((scan, i, all) => all.findIndex((other) => other.kind === scan.kind && other.fileId === scan.fileId) === i);
    const scanFiles = new Map((scans.length ? await em.find(FileRecord, { id: { $in: scans.map((s) => s.fileId) } }, { fields: ['id', 'name'] }) : []).map((f) => [f.id, f.name]));
    return Promise.all(
      kinds.map(async (kind) => {
        const document = printed.find((d) => d.kind === kind) ?? null;
        const since = live || unfinished.has(kind) ? await runningSince(record.id, kind) : null;
        return {
          kind,
          label: DOCUMENT_LABELS[kind],
          status: since ? 'printing' : document ? 'ready' : 'none',
          file: document && { fileId: document.fileId, sha256: document.sha256, createdAt: document.createdAt },
          progress: since ? await progressOf(record.id, kind, since) : null,
          signable: SIGNED_FORMS.has(kind),
          scans: scans
            .filter((s) => s.kind === kind)
            .map((s) => ({
              fileId: s.fileId,
              name: scanFiles.get(s.fileId) ?? s.fileId,
              uploadedByName: s.uploadedByName,
              uploadedAt: s.uploadedAt,
              ofCurrentPrint: s.printedSha256 === null ? null : s.printedSha256 === document?.sha256,
              handedInWith: s.handedInWith,
            })),
        } satisfies DocumentStatus;
      }),
    );
  };

  return service;
}

export type DocumentService = ReturnType<typeof createDocumentService>;
