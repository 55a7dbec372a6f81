import { ApplicationFailure, Context } from '@temporalio/activity';
import Handlebars from 'handlebars';
import { readFileSync } from 'node:fs';
import QRCode from 'qrcode';
import { OUTCOME_LABELS, type Outcome } from '../../domain/case/model.ts';
import type { LevelChoice, RubricItem } from '../../domain/evaluation/rubric.ts';
import { gradeFor, scoreSheet } from '../../domain/evaluation/scoring.ts';
import { heldMaterials } from '../../domain/demonstration/package.ts';
import { CERTIFICATE_TITLES, RECOMMENDATION_FORM_TITLES, RECOMMENDATION_OPINION_HEADINGS, chineseDate, circledNumber, organisationCode, verificationUrl, type DocumentKind } from '../../domain/documents/documents.ts';
import { addYears } from '../../domain/eligibility/eligibility.ts';
import { ROLE_LABELS, type Role } from '../../domain/identity/roles.ts';
import { localDate } from '../../domain/program/calendar.ts';
import { certifyingOffice, findDistrict } from '../../domain/program/program.ts';
import type { ProgramDefinition, TrackId } from '../../domain/program/types.ts';
import type { PdfRenderer } from '../../infra/documents/pdf.ts';
import {
  AgencyRecord,
  CaseDocumentRecord,
  CaseFileRecord,
  CaseRecord,
  CertificateRecord,
  CreditRecordEntry,
  DocumentProgressRecord,
  FileRecord,
  ProgramRecord,
  TaskRecord,
} from '../../infra/db/entities.ts';
import type { Orm } from '../../infra/db/orm.ts';
import { bindPackage, type PackageSection } from './applicationPackage.ts';
import { generatedPdf, sha256 } from './generatedFile.ts';

/** Bumped when a template changes, so documents made from the old one are made again. */
const TEMPLATE_VERSION = 1;

/** The forms printed from one template each, and the package's own pages. */
type FormKind = Exclude<DocumentKind, 'application_package'>;
const TEMPLATE_NAMES = ['certificate', 'application_form', 'commitment_letter', 'self_evaluation', 'recommendation_form', 'package_cover', 'package_contents', 'package_notice'] as const;
const compile = (name: string) => Handlebars.compile(readFileSync(new URL(`../templates/documents/${name}.hbs`, import.meta.url), 'utf8'), { strict: true });
const TEMPLATES = Object.fromEntries(TEMPLATE_NAMES.map((name) => [name, compile(name)])) as Record<(typeof TEMPLATE_NAMES)[number], HandlebarsTemplateDelegate>;

type EntityManager = ReturnType<Orm['em']['fork']>;
interface CaseContext {
  em: EntityManager;
  record: CaseRecord;
  program: ProgramDefinition;
}
/** A document ready to print: its file name, the input its checksum is taken of, and the printing itself. */
interface Printable {
  fileName: string;
  input: unknown;
  print(): Promise<Buffer>;
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

/** An office's opinion as a form prints it: outcome, comment, office and date; blank while undecided. */
function opinionBlock(heading: string, decision: TaskRecord | undefined, program: ProgramDefinition) {
  return decision
    ? { heading, decided: true, office: ROLE_LABELS[decision.assigneeRole as Role], outcome: OUTCOME_LABELS[decision.outcome as Outcome] ?? decision.outcome, comment: decision.comment ?? '', date: chineseDate(localDate(decision.completedAt!, program.timeZone)) }
    : { heading, decided: false, office: '', outcome: '', comment: '', date: '' };
}

/**
 * Documents of a case, printed to PDF and kept as files the case takes up (case_documents). The
 * input is checksummed first: a document whose input has not changed is not made again, so a
 * retried or repeated activity leaves the one file it made.
 */
export function createDocumentActivities({ orm, pdf, publicUrl }: { orm: Orm; pdf: PdfRenderer; publicUrl: string }) {
  const builders: Record<FormKind, (context: CaseContext) => Promise<DocumentContent>> = {
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
      const opinions = OPINION_BLOCKS.map(({ heading, role }) => opinionBlock(heading, reviews.filter((t) => t.assigneeRole === role).at(-1), program));
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

    /**
     * Attachment 5: the recommendation form of a demonstration track (the seed names it, without its
     * layout): the enterprise, the prerequisite certificate from the register, serious dishonesty in
     * the last three years from the credit records, its example in the industry (the application's
     * reasons), and an opinion block for each office of the track's recommendation chain.
     */
    async recommendation_form({ em, record, program }) {
      const track = program.tracks[record.track as TrackId];
      const demonstration = track?.demonstration;
      const title = RECOMMENDATION_FORM_TITLES[record.track as TrackId];
      if (!demonstration || !title) throw ApplicationFailure.nonRetryable(`case ${record.id} is not of a demonstration track`, 'InvalidData');
      const form = record.application;
      const today = localDate(new Date(), program.timeZone);
      const prerequisiteTrack = program.tracks[demonstration.prerequisite.certificate];
      const [held, seriousRecords, recommendations] = await Promise.all([
        em.find(CertificateRecord, { uscc: record.enterpriseUscc, track: demonstration.prerequisite.certificate, revokedAt: null }, { orderBy: { issuedOn: 'asc' } }),
        em.find(CreditRecordEntry, { uscc: record.enterpriseUscc, kind: 'serious_dishonesty', occurredOn: { $gte: addYears(today, -3) } }, { orderBy: { occurredOn: 'desc' } }),
        em.find(TaskRecord, { caseId: record.id, kind: 'recommend', status: 'completed' }, { orderBy: { completedAt: 'asc' } }),
      ]);
      const certificate = held[0];
      const districtName = findDistrict(program, form.district)?.name ?? form.district;
      return {
        fileName: `${program.year}年度${title}-${form.enterpriseName}.pdf`,
        data: {
          title: `${program.year}年度${title}`,
          recommender: districtName,
          printedOnChinese: chineseDate(today),
          deadlineChinese: record.deadlines.recommendation ? chineseDate(localDate(new Date(record.deadlines.recommendation), program.timeZone)) : '',
          // two facts to a row where they are short, as such forms are laid out
          rows: [
            [['企业名称', form.enterpriseName]],
            [['统一社会信用代码', form.uscc], ['法定代表人', form.legalRepresentative]],
            [['成立日期', chineseDate(form.foundedOn)], ['注册资本', `${form.registeredCapital} 万元`]],
            [['所属行业', form.industry], ['所属地区', districtName]],
            [['注册地址', form.registeredAddress]],
            [['联系电话', form.contactPhone], ['主营业务', form.mainBusiness]],
          ].map((cells) => ({ wide: cells.length === 1, cells: cells.map(([label, value]) => ({ label, value })) })),
          prerequisite: {
            label: '已获证书',
            value: `${prerequisiteTrack?.name ?? demonstration.prerequisite.certificate}：${certificate ? `证书编号 ${certificate.number}，${chineseDate(certificate.issuedOn)}由${certificate.issuedBy}颁发` : '登记簿中未查到'}`,
          },
          dishonesty: seriousRecords.length ? `近3年内有严重失信行为记录 ${seriousRecords.length} 条（最近一条：${chineseDate(seriousRecords[0]!.occurredOn)}）` : '近3年内无严重失信行为记录',
          exampleScope: demonstration.prerequisite.certificate === 'standard' ? '市' : '省',
          example: form.reasons,
          opinions: demonstration.recommendation.map((step) =>
            opinionBlock(RECOMMENDATION_OPINION_HEADINGS[step.role] ?? `${ROLE_LABELS[step.role]}推荐意见`, recommendations.filter((t) => t.stage === step.stage).at(-1), program),
          ),
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

  /** A form: its template filled with the builder's data (the certificate's QR code drawn from its URL). */
  const formPrintable = async (kind: FormKind, context: CaseContext): Promise<Printable> => {
    const { fileName, data } = await builders[kind](context);
    return {
      fileName,
      input: { kind, version: TEMPLATE_VERSION, data },
      async print() {
        const qrDataUrl = typeof data.verifyUrl === 'string' ? await QRCode.toDataURL(data.verifyUrl, { errorCorrectionLevel: 'M', margin: 1, width: 300 }) : null;
        return pdf.render(TEMPLATES[kind]({ ...data, qrDataUrl }));
      },
    };
  };

  /**
   * 申报材料 of a demonstration case: the package's items in the work plan's order, each bound from
   * the materials the case holds (the latest hand-in of each); its input is the files' checksums, so
   * it is bound again only when a file changed. Binding reports its progress item by item.
   */
  const packagePrintable = async ({ em, record, program }: CaseContext): Promise<Printable> => {
    const track = program.tracks[record.track as TrackId];
    const demonstration = track?.demonstration;
    if (!track || !demonstration) throw ApplicationFailure.nonRetryable(`case ${record.id} is not of a demonstration track`, 'InvalidData');
    const completed = await em.find(TaskRecord, { caseId: record.id, status: 'completed' }, { orderBy: { completedAt: 'asc', id: 'asc' }, fields: ['result', 'kind', 'completedAt'] });
    const held = heldMaterials(completed.map((t) => t.result));
    const fileIds = [...new Set(demonstration.packageItems.flatMap((item) => item.materials.map((m) => held[m]).filter((id): id is string => Boolean(id))))];
    const files = new Map((fileIds.length ? await em.find(FileRecord, { id: { $in: fileIds } }, { fields: ['id', 'name', 'mime', 'sha256'] }) : []).map((f) => [f.id, f]));
    const sections = demonstration.packageItems.map((item, index) => ({
      number: circledNumber(index + 1),
      title: item.title,
      generated: item.source === 'generated',
      files: item.materials.flatMap((material) => (held[material] && files.has(held[material]) ? [files.get(held[material])!] : [])),
    }));
    const handedIn = completed.filter((t) => t.kind === 'application_package').at(-1)?.completedAt;
    const agency = record.agencyId ? await em.findOne(AgencyRecord, { id: record.agencyId }, { fields: ['name'] }) : null;
    const cover = {
      year: program.year,
      title: demonstration.certificatePrefix,
      enterpriseName: record.enterpriseName,
      uscc: record.enterpriseUscc,
      agencyName: agency?.name ?? '',
      districtName: findDistrict(program, record.district)?.name ?? record.district,
      dateChinese: chineseDate(localDate(handedIn ?? new Date(), program.timeZone)),
    };
    const progress = async (done: number, total: number, step: string) => {
      Context.current().heartbeat({ done, total, step });
      await em.upsert(DocumentProgressRecord, { caseId: record.id, kind: 'application_package', done, total, step, updatedAt: new Date() }, { onConflictFields: ['caseId', 'kind'], onConflictAction: 'merge' });
    };
    return {
      fileName: `${program.year}年度${demonstration.certificatePrefix}申报材料-${record.enterpriseName}.pdf`,
      input: { kind: 'application_package', version: TEMPLATE_VERSION, cover, sections: sections.map((s) => ({ ...s, files: s.files.map((f) => ({ name: f.name, mime: f.mime, sha256: f.sha256 })) })) },
      async print() {
        const contents = new Map((fileIds.length ? await em.find(FileRecord, { id: { $in: fileIds } }, { populate: ['content'] }) : []).map((f) => [f.id, f.content]));
        const bound = await bindPackage(
          sections.map((s): PackageSection => ({ ...s, files: s.files.map((f) => ({ name: f.name, mime: f.mime, content: contents.get(f.id)! })) })),
          {
            cover: () => pdf.render(TEMPLATES.package_cover(cover), { pageNumbers: false }),
            contents: (entries) => pdf.render(TEMPLATES.package_contents({ entries }), { pageNumbers: false }),
            notice: (section, message) => pdf.render(TEMPLATES.package_notice({ number: section.number, title: section.title, message }), { pageNumbers: false }),
          },
          ({ done, total, step }) => progress(done, total, step),
        );
        return bound.pdf;
      },
    };
  };

  return {
    /** A case's document, made once per input: its file id and checksum. */
    async generateDocument({ caseId, kind }: { caseId: string; kind: DocumentKind }): Promise<{ fileId: string; sha256: string; generated: boolean }> {
      const em = orm.em.fork();
      const record = await em.findOneOrFail(CaseRecord, { id: caseId });
      const program = (await em.findOneOrFail(ProgramRecord, { id: record.programId, version: record.programVersion })).definition;
      const context = { em, record, program };
      const printable = kind === 'application_package' ? await packagePrintable(context) : await formPrintable(kind, context);
      const inputSha256 = sha256(JSON.stringify(printable.input));
      const existing = await em.findOne(CaseDocumentRecord, { caseId, kind });
      if (existing?.inputSha256 === inputSha256) return { fileId: existing.fileId, sha256: existing.sha256, generated: false };

      const content = await printable.print();
      const file = generatedPdf(printable.fileName, content, record.enterpriseUscc);
      await em.transactional(async (tx) => {
        await tx.insert(FileRecord, file);
        await tx.upsert(CaseFileRecord, { caseId, fileId: file.id }, { onConflictAction: 'ignore' });
        await tx.upsert(CaseDocumentRecord, { caseId, kind, fileId: file.id, inputSha256, sha256: file.sha256, createdAt: file.createdAt }, { onConflictFields: ['caseId', 'kind'], onConflictAction: 'merge' });
      });
      return { fileId: file.id, sha256: file.sha256, generated: true };
    },
  };
}
