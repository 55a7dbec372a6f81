import { ApplicationFailure } from '@temporalio/activity';
import Handlebars from 'handlebars';
import { createHash, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import QRCode from 'qrcode';
import { OUTCOME_LABELS, type Outcome } from '../../domain/case/model.ts';
import type { LevelChoice, RubricItem } from '../../domain/evaluation/rubric.ts';
import { gradeFor, scoreSheet } from '../../domain/evaluation/scoring.ts';
import { CERTIFICATE_TITLES, DOCUMENT_KINDS, chineseDate, organisationCode, verificationUrl, type DocumentKind } from '../../domain/documents/documents.ts';
import { ROLE_LABELS, type Role } from '../../domain/identity/roles.ts';
import { localDate } from '../../domain/program/calendar.ts';
import { certifyingOffice, findDistrict } from '../../domain/program/program.ts';
import type { ProgramDefinition, TrackId } from '../../domain/program/types.ts';
import type { PdfRenderer } from '../../infra/documents/pdf.ts';
import { CaseDocumentRecord, CaseFileRecord, CaseRecord, FileRecord, ProgramRecord, TaskRecord } from '../../infra/db/entities.ts';
import type { Orm } from '../../infra/db/orm.ts';

/** The uploader of what the system itself generates. */
export const SYSTEM_USER_ID = '00000000-0000-0000-0000-000000000000';

/** Bumped when a template changes, so documents made from the old one are made again. */
const TEMPLATE_VERSION = 1;

const compile = (name: DocumentKind) => Handlebars.compile(readFileSync(new URL(`../templates/documents/${name}.hbs`, import.meta.url), 'utf8'), { strict: true });
const TEMPLATES = Object.fromEntries(DOCUMENT_KINDS.map((kind) => [kind, compile(kind)])) as Record<DocumentKind, HandlebarsTemplateDelegate>;

const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');

type EntityManager = ReturnType<Orm['em']['fork']>;
interface CaseContext {
  em: EntityManager;
  record: CaseRecord;
  program: ProgramDefinition;
}
/** What a document says (its template's data) and what its file is called. */
interface DocumentContent {
  fileName: string;
  data: Record<string, unknown>;
}

/**
 * The opinion blocks of attachment 2, as the offices of the case's chain fill them: the county-level
 * credit office (太仓: the city section's review), the prefecture's (苏州) and the province's
 * (江苏, which the 贯标 chain has no step for: left blank).
 */
const OPINION_BLOCKS: { heading: string; role: Role }[] = [
  { heading: '三、县（市、区）信用办初审意见', role: 'city_officer' },
  { heading: '四、市信用办审核意见', role: 'prefecture_officer' },
  { heading: '五、省信用办审核意见', role: 'province_officer' },
];

/**
 * Documents of a case, printed to PDF and kept as files the case takes up (case_documents). The
 * input is checksummed first: a document whose input has not changed is not made again, so a
 * retried or repeated activity leaves the one file it made.
 */
export function createDocumentActivities({ orm, pdf, publicUrl }: { orm: Orm; pdf: PdfRenderer; publicUrl: string }) {
  const builders: Record<DocumentKind, (context: CaseContext) => Promise<DocumentContent>> = {
    async certificate({ record, program }) {
      if (!record.certificateNumber || !record.certificateIssuedOn) throw ApplicationFailure.nonRetryable(`case ${record.id} has no certificate`, 'InvalidData');
      const track = program.tracks[record.track as TrackId];
      const title = CERTIFICATE_TITLES[record.track as TrackId] ?? track?.name ?? record.track;
      return {
        fileName: `${title}证书-${record.certificateNumber}.pdf`,
        data: {
          title,
          number: record.certificateNumber,
          enterpriseName: record.enterpriseName,
          uscc: record.enterpriseUscc,
          trackName: track?.name ?? record.track,
          programTitle: program.title,
          issuer: ROLE_LABELS[certifyingOffice(track)],
          issuedOnChinese: chineseDate(record.certificateIssuedOn),
          verifyUrl: verificationUrl(publicUrl, record.certificateNumber),
          // the address as a person reads and types it (the QR code carries it encoded)
          verifyPage: `${publicUrl.replace(/\/$/, '')}/verify/${record.certificateNumber}`,
        },
      };
    },

    /** Attachment 2: the cover, the 15 rows in the seed's order, the reasons, the offices' opinions as recorded. */
    async application_form({ em, record, program }) {
      const form = record.application;
      const reviews = await em.find(TaskRecord, { caseId: record.id, kind: 'review', status: 'completed' }, { orderBy: { completedAt: 'asc' } });
      const opinions = OPINION_BLOCKS.map(({ heading, role }) => {
        const decision = reviews.filter((t) => t.assigneeRole === role).at(-1);
        return decision
          ? { heading, decided: true, office: ROLE_LABELS[role], outcome: OUTCOME_LABELS[decision.outcome as Outcome] ?? decision.outcome, comment: decision.comment ?? '', date: chineseDate(localDate(decision.completedAt!, program.timeZone)) }
          : { heading, decided: false, office: '', outcome: '', comment: '', date: '' };
      });
      const rows: [string, string][] = [
        ['1、企业名称', form.enterpriseName],
        ['2、组织机构代码', organisationCode(form.uscc)],
        ['3、工商注册号', `${form.uscc}（统一社会信用代码）`],
        ['4、法定代表人', form.legalRepresentative],
        // the full number leaves the system only through the logged reveal: the form carries it masked
        ['5、法定代表人身份证号', form.legalRepresentativeIdNumber],
        ['6、成立日期', chineseDate(form.foundedOn)],
        ['7、注册资本', `${form.registeredCapital} 万元`],
        ['8、所属行业', form.industry],
        ['9、所属地区', findDistrict(program, form.district)?.name ?? form.district],
        ['10、注册地址', form.registeredAddress],
        ['11、经营地址', form.businessAddress],
        ['12、邮编', form.postCode],
        ['13、联系电话', form.contactPhone],
        ['14、传真', form.fax || '—'],
        ['15、主营业务', form.mainBusiness],
      ];
      return {
        fileName: `江苏省信用管理贯标企业申报表-${form.enterpriseName}.pdf`,
        data: {
          enterpriseName: form.enterpriseName,
          appliedOnChinese: chineseDate(localDate(record.submittedAt, program.timeZone)),
          rows: rows.map(([label, value]) => ({ label, value })),
          reasons: form.reasons,
          opinions,
        },
      };
    },

    /**
     * Attachment 4: the score sheet as the seed prints it — sections, items, criteria, maxima, the
     * full / half / zero wording — with the enterprise's score per item, the acceptance's where it
     * differs, subtotals, totals and grades.
     */
    async self_evaluation({ record, program }) {
      const acceptance = record.acceptance;
      if (!acceptance) throw ApplicationFailure.nonRetryable(`case ${record.id} has no self-evaluation yet`, 'InvalidData');
      const { rubric, grading } = program;
      const own = acceptance.selfEvaluation.scores;
      const adjusted = record.reviewerScores ?? {};
      const reviewed = { ...own, ...Object.fromEntries(Object.entries(adjusted).map(([id, a]) => [id, a.level])) };
      const ownSheet = scoreSheet(rubric, own);
      const reviewedSheet = scoreSheet(rubric, reviewed);
      const points = (item: RubricItem, level: LevelChoice | undefined) => (level ? (level === 'half' ? (item.levels.half?.points ?? 0) : item.levels[level].points) : '');
      return {
        fileName: `江苏省企业信用管理状况评价指标自评表-${record.enterpriseName}.pdf`,
        data: {
          enterpriseName: record.enterpriseName,
          uscc: record.enterpriseUscc,
          max: rubric.total,
          sections: rubric.sections.map((section, i) => ({
            id: section.id,
            title: section.title,
            max: section.max,
            ownScore: ownSheet.sections[i]!.score,
            reviewedScore: reviewedSheet.sections[i]!.score,
            items: section.items.map((item) => ({
              id: item.id,
              criterion: item.criterion,
              title: item.title,
              max: item.max,
              full: item.levels.full.label,
              half: item.levels.half?.label ?? '——',
              zero: item.levels.zero.label,
              own: points(item, own[item.id]),
              reviewed: adjusted[item.id] ? points(item, adjusted[item.id]!.level) : '',
              differs: Boolean(adjusted[item.id] && adjusted[item.id]!.level !== own[item.id]),
            })),
          })),
          ownTotal: ownSheet.total,
          reviewedTotal: Object.keys(adjusted).length ? reviewedSheet.total : '',
          ownGrade: gradeFor(grading, rubric, ownSheet.total, own[rubric.dishonestyItemId]).grade,
          reviewedGrade: Object.keys(adjusted).length ? gradeFor(grading, rubric, reviewedSheet.total, reviewed[rubric.dishonestyItemId]).grade : null,
        },
      };
    },

    /** Attachment 3: the commitment letter, to be signed by the legal representative and stamped. */
    async commitment_letter({ record, program }) {
      const form = record.application;
      return {
        fileName: `贯标申报信用承诺书-${form.enterpriseName}.pdf`,
        data: { enterpriseName: form.enterpriseName, uscc: form.uscc, legalRepresentative: form.legalRepresentative, dateChinese: chineseDate(localDate(new Date(), program.timeZone)) },
      };
    },
  };

  return {
    /** A case's document, made once per input: its file id and checksum. */
    async generateDocument({ caseId, kind }: { caseId: string; kind: DocumentKind }): Promise<{ fileId: string; sha256: string; generated: boolean }> {
      const em = orm.em.fork();
      const record = await em.findOneOrFail(CaseRecord, { id: caseId });
      const program = (await em.findOneOrFail(ProgramRecord, { id: record.programId, version: record.programVersion })).definition;
      const { fileName, data } = await builders[kind]({ em, record, program });
      const inputSha256 = sha256(JSON.stringify({ kind, version: TEMPLATE_VERSION, data }));
      const existing = await em.findOne(CaseDocumentRecord, { caseId, kind });
      if (existing?.inputSha256 === inputSha256) return { fileId: existing.fileId, sha256: existing.sha256, generated: false };

      const qrDataUrl = typeof data.verifyUrl === 'string' ? await QRCode.toDataURL(data.verifyUrl, { errorCorrectionLevel: 'M', margin: 1, width: 300 }) : null;
      const content = await pdf.render(TEMPLATES[kind]({ ...data, qrDataUrl }));
      const file = {
        id: randomUUID(),
        ownerUscc: record.enterpriseUscc,
        uploadedBy: SYSTEM_USER_ID,
        name: fileName,
        mime: 'application/pdf',
        size: content.length,
        sha256: sha256(content),
        content,
        createdAt: new Date(),
      };
      await em.transactional(async (tx) => {
        await tx.insert(FileRecord, file);
        await tx.upsert(CaseFileRecord, { caseId, fileId: file.id }, { onConflictAction: 'ignore' });
        await tx.upsert(CaseDocumentRecord, { caseId, kind, fileId: file.id, inputSha256, sha256: file.sha256, createdAt: file.createdAt }, { onConflictFields: ['caseId', 'kind'], onConflictAction: 'merge' });
      });
      return { fileId: file.id, sha256: file.sha256, generated: true };
    },
  };
}
