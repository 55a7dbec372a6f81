import { ApplicationFailure } from '@temporalio/activity';
import Handlebars from 'handlebars';
import { readFileSync } from 'node:fs';
import { summaryList, summaryListScope } from '../../domain/documents/summaryList.ts';
import { ROLE_LABELS } from '../../domain/identity/roles.ts';
import type { TrackId } from '../../domain/program/types.ts';
import type { PdfRenderer } from '../../infra/documents/pdf.ts';
import { CaseRecord, FileRecord, ProgramRecord, SummaryListRecord } from '../../infra/db/entities.ts';
import type { Orm } from '../../infra/db/orm.ts';
import { generatedPdf, sha256 } from './generatedFile.ts';

/** Bumped when the template changes, so lists made from the old one are made again. */
const TEMPLATE_VERSION = 1;

const TEMPLATE = Handlebars.compile(readFileSync(new URL('../templates/documents/summary_list.hbs', import.meta.url), 'utf8'), { strict: true });


/**
 * 汇总表: a track's cases of one district (镇（区）汇总后报经信委) or of the whole city (汇总后报苏州市
 * 信用办), printed to PDF and kept as a file of the list (summary_lists). As with a case's documents,
 * the input is checksummed first: a list whose cases have not moved on is not printed again.
 */
export function createSummaryListActivities({ orm, pdf }: { orm: Orm; pdf: PdfRenderer }) {
  return {
    /** The list of a program's track for a district, or for the city (district null): its file id and checksum. */
    async generateSummaryList({ programId, track, district }: { programId: string; track: TrackId; district: string | null }): Promise<{ fileId: string; sha256: string; generated: boolean }> {
      const em = orm.em.fork();
      const [programRecord] = await em.find(ProgramRecord, { id: programId }, { orderBy: { version: 'desc' }, limit: 1 });
      if (!programRecord) throw ApplicationFailure.nonRetryable(`no program ${programId}`, 'InvalidData');
      const program = programRecord.definition;
      const cases = await em.find(CaseRecord, { programId, track, ...(district === null ? {} : { district }) }, { fields: ['enterpriseName', 'enterpriseUscc', 'district', 'stage', 'status', 'submittedAt'] });
      const list = summaryList(program, track, district, cases);
      const data = {
        ...list,
        count: list.rows.length,
        // where the list goes: the district's to the city section, the city's on to Suzhou
        sendTo: district === null ? ROLE_LABELS.prefecture_officer : program.issuedBy,
      };
      const scope = summaryListScope(district);
      const inputSha256 = sha256(JSON.stringify({ version: TEMPLATE_VERSION, data }));
      const existing = await em.findOne(SummaryListRecord, { programId, track, scope });
      if (existing?.inputSha256 === inputSha256) return { fileId: existing.fileId, sha256: existing.sha256, generated: false };

      const content = await pdf.render(TEMPLATE(data), { landscape: true });
      const file = generatedPdf(`${list.title}${list.scopeLabel}.pdf`, content, null);
      await em.transactional(async (tx) => {
        await tx.insert(FileRecord, file);
        await tx.upsert(SummaryListRecord, { programId, track, scope, fileId: file.id, inputSha256, sha256: file.sha256, createdAt: file.createdAt }, { onConflictFields: ['programId', 'track', 'scope'], onConflictAction: 'merge' });
      });
      return { fileId: file.id, sha256: file.sha256, generated: true };
    },
  };
}
