/**
 * The demo world: on fresh data, enterprises in all nine districts with cases at different stages
 * of all three tracks, so a newcomer sees a living system and can pick up any role's inbox. Every
 * case is driven through the use cases the API and the pages call (apply, complete a task, forward
 * a batch, set an acceptance date, object in publicity), each step as the person who takes it;
 * no row is written directly.
 *
 * Two programs. This year's (the one `seedDemo` publishes, on the real calendar): cases wait at
 * every stage for someone, and one 贯标 case reaches its certificate. And a demo program for "last
 * year" on a compressed calendar (a day lasts DEMO_DAY_MS), where one municipal and one provincial
 * demonstration case pass publicity (7 working days) in seconds and are certified.
 */
import type { Client } from '@temporalio/client';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { actorOf } from '../features/auth/authService.ts';
import { completeTaskBody, submitApplicationBody } from '../features/cases/schemas.ts';
import { createServices, type Services } from '../features/services.ts';
import type { ApplicationForm } from '../domain/case/model.ts';
import { rubricItems, type LevelChoice } from '../domain/evaluation/rubric.ts';
import { residentIdCheckCharacter } from '../domain/identity/residentId.ts';
import type { Actor } from '../domain/identity/roles.ts';
import { usccCheckCharacter } from '../domain/identity/uscc.ts';
import { localDate, localDeadlineAt, shiftDateToYear } from '../domain/program/calendar.ts';
import type { ProgramDefinition, TrackDefinition, TrackId } from '../domain/program/types.ts';
import { CaseRecord, UserRecord, type TaskRecord } from '../infra/db/entities.ts';
import type { Orm } from '../infra/db/orm.ts';
import { DEMO_DISTRICT_OFFICERS, DEMO_ENTERPRISE_USCC, DEMO_PASSWORD, createUser, publishProgram } from './seed.ts';
import { minimalPdf } from '../infra/files/minimalPdf.ts';

const DAY_MS = 86_400_000;
/** A "day" of the demo program: its publicity of 7 working days passes in 14 s. */
export const DEMO_DAY_MS = 2_000;

export interface DemoWorldDeps {
  orm: Orm;
  temporal: Client;
  taskQueue: string;
}

export interface DemoWorldOptions {
  /** this year's program, published: where most cases stand */
  program: ProgramDefinition;
  /** the compressed "last year" program, published by the builder (default: demoProgramFor(program)) */
  demoProgram?: ProgramDefinition;
  /** how long to wait for one step to show (a task in an inbox), and for the certificates at the end */
  patienceMs?: number;
  log?: (line: string) => void;
}

export interface DemoWorldReport {
  cases: number;
  districts: number;
  /** certified cases per track */
  certified: Partial<Record<TrackId, number>>;
  /** scenes that did not get where they were meant to, and why */
  failures: Array<{ scene: string; error: string }>;
  ms: number;
}

/**
 * "Last year's" program of the demo: this year's rules, a title that says it is a demo, every
 * deadline in the future (a month apart), and a compressed calendar, so its demonstration cases
 * reach a certificate while the newcomer watches.
 */
export function demoProgramFor(program: ProgramDefinition, now = new Date()): ProgramDefinition {
  const year = program.year - 1;
  const city = program.id.replace(/-\d{4}$/, '');
  const inMonths = (months: number) => ({ date: localDate(new Date(now.getTime() + months * 30 * DAY_MS), program.timeZone), time: '23:59', inclusive: true });
  const tracks: ProgramDefinition['tracks'] = {};
  for (const [id, track] of Object.entries(program.tracks) as [TrackId, TrackDefinition][]) {
    tracks[id] = { ...track, deadlines: Object.fromEntries(Object.keys(track.deadlines).map((name, i) => [name, inMonths(i + 1)])) };
  }
  return {
    ...structuredClone(program),
    id: `${city}-demo-${year}`,
    version: 1,
    year,
    title: `【演示】${program.title.replace(String(program.year), String(year))}（压缩日历：1天=${DEMO_DAY_MS / 1000}秒 (demo, compressed calendar)）`,
    tracks,
    compressedDayMs: DEMO_DAY_MS,
  };
}

// ---- the people ----

interface Company {
  /** numbers the enterprise's made-up details (credit code, identity number, address) */
  n: number;
  email: string;
  person: string;
  name: string;
  uscc: string;
  district: string;
  industry: string;
  business: string;
}

const usccOf = (n: number) => {
  const first17 = `91320585MA1DW${String(n).padStart(4, '0')}`;
  return first17 + usccCheckCharacter(first17);
};

const company = (n: number, district: string, login: string, person: string, name: string, industry: string, business: string): Company => ({
  n,
  email: `qiye.${login}@demo.local`,
  person,
  name,
  uscc: usccOf(n),
  district,
  industry,
  business,
});

/** The enterprise of the demo's own login (qiye@demo.local, DEMO_USERS). */
const DEMO_ENTERPRISE: Company = {
  n: 6,
  email: 'qiye@demo.local',
  person: '王敏',
  name: '太仓示例精密机械有限公司',
  uscc: DEMO_ENTERPRISE_USCC,
  district: 'shaxi',
  industry: '通用设备制造业',
  business: '精密机械零部件的研发、生产和销售',
};

/** A valid resident identity number for the legal representative (GB 11643). */
function residentId(birth: string, serial: string): string {
  const first17 = `320585${birth}${serial}`;
  return first17 + residentIdCheckCharacter(first17);
}

function applicationOf(c: Company, creditReportFileId: string): ApplicationForm {
  const { n } = c;
  return {
    enterpriseName: c.name,
    uscc: c.uscc,
    legalRepresentative: `${c.person.slice(0, 1)}建${'国华明军'.charAt(n % 4)}`,
    legalRepresentativeIdNumber: residentId(`19${70 + (n % 20)}0${1 + (n % 9)}1${n % 10}`, String(100 + n).slice(-3)),
    foundedOn: `20${String(5 + (n % 15)).padStart(2, '0')}-0${1 + (n % 9)}-18`,
    registeredCapital: 1000 + 500 * (n % 10),
    industry: c.industry,
    district: c.district,
    registeredAddress: `太仓市示例路${n}号`,
    businessAddress: `太仓市示例路${n}号`,
    postCode: '215400',
    contactPhone: `0512-5300${String(n).padStart(4, '0')}`,
    fax: '',
    mainBusiness: c.business,
    reasons: '企业高度重视信用管理工作，希望通过贯标与示范创建进一步提升信用管理水平。',
    independentLegalPerson: true,
    declaresNoSeriousDishonesty: true,
    creditReportFileId,
  };
}


/** A case of the world, with the people who act on it. */
interface DemoCase {
  id: string;
  program: ProgramDefinition;
  enterprise: Actor;
  district: Actor;
}

/** The offices, the consultants and the admin, as the demo seeds them. */
const OFFICES = { city: 'city@demo.local', suzhou: 'suzhou@demo.local', jiangsu: 'jiangsu@demo.local', admin: 'admin@demo.local', guwen: 'guwen@demo.local', guwen2: 'guwen2@demo.local' } as const;
const AGENCY_OF = { guwen: 'agency-demo', guwen2: 'agency-jiangnan' } as const;

/** A local date and time (YYYY-MM-DDTHH:MM) as a form sends it: an appointment. */
function localDateTime(instant: Date, timeZone: string): string {
  const local = localDeadlineAt(instant, timeZone);
  return `${local.date}T${local.time.slice(0, 5)}`;
}

/** The people's steps, through the use cases, as the people who take them. */
class World {
  readonly services: Services;
  readonly orm: Orm;
  readonly patienceMs: number;
  readonly scratch: string;
  private readonly actors = new Map<string, Actor>();
  private sequence = 0;

  constructor(services: Services, orm: Orm, patienceMs: number, scratch: string) {
    this.services = services;
    this.orm = orm;
    this.patienceMs = patienceMs;
    this.scratch = scratch;
  }

  async actor(email: string): Promise<Actor> {
    const known = this.actors.get(email);
    if (known) return known;
    const actor = actorOf(await this.orm.em.fork().findOneOrFail(UserRecord, { email }));
    this.actors.set(email, actor);
    return actor;
  }

  office(name: keyof typeof OFFICES): Promise<Actor> {
    return this.actor(OFFICES[name]);
  }

  districtOfficer(district: string): Promise<Actor> {
    return this.actor(`${district}@demo.local`);
  }

  /** Stores a small PDF through the file service, as its uploader: its id. */
  async upload(actor: Actor, name: string): Promise<string> {
    const content = minimalPdf(name);
    const path = join(this.scratch, `${++this.sequence}.pdf`);
    await writeFile(path, content);
    try {
      const [stored] = await this.services.files.keep(actor, [{ field: 'file', name, path, size: content.length }]);
      return stored!.id;
    } finally {
      await rm(path, { force: true });
    }
  }

  async materials(actor: Actor, named: Record<string, string>): Promise<Record<string, string>> {
    const ids: Record<string, string> = {};
    for (const [key, title] of Object.entries(named)) ids[key] = await this.upload(actor, `${title}.pdf`);
    return ids;
  }

  /** The enterprise's user applies: its credit report uploaded, the form checked like a request's. */
  async apply(c: Company, program: ProgramDefinition, track: TrackId): Promise<DemoCase> {
    await createUser(this.orm, { email: c.email, name: `${c.person}（${c.name}）`, role: 'enterprise', scopeId: c.uscc }, DEMO_PASSWORD);
    const enterprise = await this.actor(c.email);
    const report = await this.upload(enterprise, '企业近三年信用信息查询报告.pdf');
    const body = submitApplicationBody.parse({ programId: program.id, track, application: applicationOf(c, report) });
    const view = await this.services.cases.submitApplication(enterprise, body);
    return { id: view.id, program, enterprise, district: await this.districtOfficer(c.district) };
  }

  /** The open task of this kind in the case, as its assignee's inbox shows it (a step may open it a moment later). */
  async task(actor: Actor, caseId: string, kind: string, subject?: string): Promise<TaskRecord> {
    const until = Date.now() + this.patienceMs;
    for (;;) {
      const found = (await this.services.tasks.inbox(actor)).find((t) => t.caseId === caseId && t.kind === kind && (!subject || t.subject === subject));
      if (found) return found;
      if (Date.now() > until) throw new Error(`waited ${this.patienceMs} ms for an open ${kind} task of ${caseId} in ${actor.name}'s inbox`);
      await sleep(250);
    }
  }

  async complete(actor: Actor, caseId: string, kind: string, payload: Record<string, unknown>, subject?: string): Promise<void> {
    const task = await this.task(actor, caseId, kind, subject);
    await this.services.tasks.completeTask(actor, task.id, completeTaskBody.parse(payload));
  }

  /** Waits, bounded, for the case to close; its status. */
  async closed(caseId: string, patienceMs: number): Promise<string> {
    const until = Date.now() + patienceMs;
    for (;;) {
      const record = await this.orm.em.fork().findOneOrFail(CaseRecord, { id: caseId }, { fields: ['status'] });
      if (record.status !== 'active') return record.status;
      if (Date.now() > until) throw new Error(`waited ${patienceMs} ms for ${caseId} to close`);
      await sleep(500);
    }
  }
}

// ---- 贯标: the standard track's steps ----

const CHECKLIST_FIELDS: Record<string, Record<string, string>> = {
  working_group: { leader: '总经理', members: '销售部、财务部、法务部负责人', dedicatedStaff: '信用管理专员一名' },
  credit_department: { department: '信用管理部', duties: '客户资信管理、授信管理、商账管理' },
  training: { trainedOn: '', attendees: '32', topic: '江苏省企业信用管理规范' },
};

const standard = {
  async districtReview(w: World, c: DemoCase, outcome: 'approve' | 'return' | 'reject', comment: string) {
    await w.complete(c.district, c.id, 'review', { outcome, comment });
  },
  async forward(w: World, c: DemoCase) {
    await w.services.batches.forward(c.district, [c.id]);
  },
  /** District approval, the district's batch, city approval: the case reaches self-compliance. */
  async admit(w: World, c: DemoCase) {
    await standard.districtReview(w, c, 'approve', '材料齐全，同意上报。(complete, forwarded)');
    await standard.forward(w, c);
    await w.complete(await w.office('city'), c.id, 'review', { outcome: 'approve', comment: '符合贯标申报条件。(eligible)' });
  },
  async checklist(w: World, c: DemoCase, keys: string[]) {
    const trainedOn = localDate(new Date(Date.now() - 14 * DAY_MS), c.program.timeZone);
    for (const key of keys) {
      const fields = CHECKLIST_FIELDS[key];
      const item = c.program.selfCompliance.find((i) => i.key === key)!;
      const payload = fields
        ? { outcome: 'done', fields: key === 'training' ? { ...fields, trainedOn } : fields }
        : { outcome: 'done', fileIds: [await w.upload(c.enterprise, `${item.title}.pdf`)] };
      await w.complete(c.enterprise, c.id, 'self_compliance_item', payload, key);
    }
  },
  async submitAcceptance(w: World, c: DemoCase) {
    const levels: Record<string, LevelChoice> = { '2.5': 'half', '6.16': 'zero' };
    const scores = Object.fromEntries(rubricItems(c.program.rubric).map((item) => [item.id, levels[item.id] ?? 'full']));
    const acceptance = {
      workSummaryFileId: await w.upload(c.enterprise, '贯标工作总结报告.pdf'),
      internalEvaluationFileId: await w.upload(c.enterprise, '内部评估报告.pdf'),
      commitmentLetterFileId: await w.upload(c.enterprise, '信用承诺书（签字盖章）.pdf'),
      selfEvaluation: { scores, evidence: { '1.1': [await w.upload(c.enterprise, '信用管理方针.pdf')] } },
    };
    await w.complete(c.enterprise, c.id, 'acceptance_submission', { outcome: 'submit', acceptance });
  },
  /** Admitted, the whole checklist done, the acceptance materials handed in. */
  async toAcceptance(w: World, c: DemoCase) {
    await standard.admit(w, c);
    await standard.checklist(w, c, c.program.selfCompliance.map((i) => i.key));
    await standard.submitAcceptance(w, c);
  },
  async acceptanceByDistrict(w: World, c: DemoCase) {
    await w.complete(c.district, c.id, 'review', { outcome: 'approve', comment: '验收材料齐全。(materials complete)' });
  },
  async acceptanceByCity(w: World, c: DemoCase) {
    await w.complete(await w.office('city'), c.id, 'review', { outcome: 'approve', scoreAdjustments: [{ itemId: '3.1', level: 'zero', comment: '岗位责任制度未见文件' }] });
  },
  async certify(w: World, c: DemoCase, number: string) {
    const certificate = { number, issuedOn: localDate(new Date(), c.program.timeZone) };
    await w.complete(await w.office('suzhou'), c.id, 'review', { outcome: 'approve', certificate });
  },
};

// ---- 示范: the demonstration tracks' steps ----

const demonstration = {
  /** District (with its stamped form), city, and for the provincial track Suzhou, recommend in turn. */
  async recommend(w: World, c: DemoCase, levels: Array<'district' | 'city' | 'suzhou'>) {
    for (const level of levels) {
      if (level === 'district') {
        const materials = await w.materials(c.district, { recommendation_form: '示范企业推荐表（附件5）' });
        await w.complete(c.district, c.id, 'recommend', { outcome: 'recommend', materials });
      } else {
        await w.complete(await w.office(level), c.id, 'recommend', { outcome: 'recommend', comment: '择优推荐。(recommended)' });
      }
    }
  },
  async chooseAgency(w: World, c: DemoCase, consultant: keyof typeof AGENCY_OF) {
    await w.complete(c.enterprise, c.id, 'choose_agency', { outcome: 'submit', agencyId: AGENCY_OF[consultant] });
  },
  /** The agency's consultant signs as lead (free of charge to the enterprise); Suzhou files the contract. */
  async contract(w: World, c: DemoCase, consultant: keyof typeof AGENCY_OF, filingNumber: string) {
    await demonstration.chooseAgency(w, c, consultant);
    const lead = await w.office(consultant);
    await w.complete(lead, c.id, 'sign_contract', { outcome: 'submit', consultantUserId: lead.userId, freeOfCharge: true, materials: await w.materials(lead, { contract: '咨询辅导合同（双方签章）' }) });
    const filing = { number: filingNumber, filedOn: localDate(new Date(), c.program.timeZone) };
    await w.complete(await w.office('suzhou'), c.id, 'file_contract', { outcome: 'file', filing });
  },
  /** at: a local date and time, as the form sends it */
  async scheduleSurvey(w: World, c: DemoCase, consultant: Actor, at: string) {
    await w.complete(consultant, c.id, 'schedule_survey', { outcome: 'done', survey: { at, place: '企业会议室' } });
  },
  /** 示范创建 with the consultant, the survey a week ago: report, diagnosis, evaluation, plan, coaching, report, feedback. */
  async creation(w: World, c: DemoCase, consultantName: keyof typeof AGENCY_OF) {
    const consultant = await w.office(consultantName);
    await demonstration.scheduleSurvey(w, c, consultant, localDateTime(new Date(Date.now() - 7 * DAY_MS), c.program.timeZone));
    await w.complete(consultant, c.id, 'survey_report', { outcome: 'submit', materials: await w.materials(consultant, { survey_report: '现场调查报告', survey_receipt: '现场调查回执（企业负责人签字）' }) });
    await w.complete(consultant, c.id, 'diagnosis', { outcome: 'submit', findings: [{ itemId: '4.1', finding: '尚未建立客户信用档案的定期更新制度。' }] });
    const evaluation = { scores: Object.fromEntries(rubricItems(c.program.rubric).map((item) => [item.id, 'full'])), evidence: {} };
    await w.complete(consultant, c.id, 'internal_evaluation', { outcome: 'submit', evaluation, materials: await w.materials(consultant, { internal_evaluation_report: '内部评估报告' }) });
    await w.complete(c.enterprise, c.id, 'work_plan', { outcome: 'submit', materials: await w.materials(c.enterprise, { work_plan: '示范创建工作计划' }) });
    await w.complete(consultant, c.id, 'coaching', { outcome: 'done', comment: '辅导信用管理制度建设，完善授信审批流程。' });
    await w.complete(consultant, c.id, 'evaluation_report', { outcome: 'submit', materials: await w.materials(consultant, { evaluation_report: '企业信用管理评价报告' }) });
    await w.complete(c.enterprise, c.id, 'evaluation_feedback', { outcome: 'submit', materials: await w.materials(c.enterprise, { evaluation_feedback: '评价报告书面反馈意见' }) });
  },
  /** The enterprise hands in the package's last items; the city submits it to the acceptor. */
  async applicationPackage(w: World, c: DemoCase) {
    const materials = await w.materials(c.enterprise, { demonstration_application_form: '示范企业申报表', legal_person_credit_report: '社会法人信用信息查询报告' });
    await w.complete(c.enterprise, c.id, 'application_package', { outcome: 'submit', materials });
    await w.complete(await w.office('city'), c.id, 'submit_package', { outcome: 'submit' });
  },
  /** The acceptor sets the date (the next minutes: the service takes only future dates) and passes the case: publicity. */
  async pass(w: World, c: DemoCase, acceptor: Actor) {
    const at = new Date(Math.ceil((Date.now() + 90_000) / 60_000) * 60_000);
    await w.services.demonstration.scheduleAcceptance(acceptor, { caseIds: [c.id], at: localDateTime(at, c.program.timeZone), place: '信用办会议室' });
    await w.complete(acceptor, c.id, 'acceptance', { outcome: 'pass', comment: '验收通过。(passed)' });
  },
  async object(w: World, c: DemoCase) {
    await w.services.demonstration.fileObjection(c.id, { name: '张三', contact: '13800000000', text: '该企业去年曾拖欠供应商货款，请核实其信用状况。' });
  },
};

// ---- the scenes: one case each, and where it is left ----

interface Scene {
  name: string;
  company: Company;
  track: TrackId;
  /** on the compressed "last year" program, to reach a certificate */
  lastYear?: boolean;
  /** held before applying (imported by the admin): the prerequisite of a demonstration track */
  holds?: TrackId[];
  drive: (w: World, c: DemoCase) => Promise<void>;
}

/** A case the world waits for at the end: it leaves publicity certified on the compressed calendar. */
type Certified = { scene: string; caseId: string };

/** The cases of the world, in the order they are built. */
function scenes(certifiedLater: Certified[]): Scene[] {
  const later = (scene: string) => (c: DemoCase) => certifiedLater.push({ scene, caseId: c.id });
  const shaxiTextiles = company(11, 'shaxi', 'shaxi2', '梁燕', '太仓沙溪示例纺织有限公司', '纺织业', '色织布的生产和销售');
  return [
    // last year's demonstration cases first: their publicity runs while the rest is built
    {
      name: '市级示范 · 已认定 (certified, last year)',
      company: company(21, 'gaoxin', 'gaoxin3', '袁博', '太仓高新示例光电有限公司', '计算机、通信和其他电子设备制造业', '光电传感器的研发、生产和销售'),
      track: 'municipal-demo',
      lastYear: true,
      holds: ['standard'],
      async drive(w, c) {
        await demonstration.recommend(w, c, ['district', 'city']);
        await demonstration.contract(w, c, 'guwen', `苏信备〔${c.program.year}〕021号`);
        await demonstration.creation(w, c, 'guwen');
        await demonstration.applicationPackage(w, c);
        await demonstration.pass(w, c, await w.office('suzhou'));
        // an objection in publicity, looked into and dismissed (if the compressed period still runs)
        const objected = await demonstration.object(w, c).then(() => true, () => false);
        if (objected) await w.complete(await w.office('suzhou'), c.id, 'objection_review', { outcome: 'dismiss', comment: '经核实，货款已于当年结清，异议不成立。' });
        later('市级示范 · 已认定')(c);
      },
    },
    {
      name: '省级示范 · 已认定 (certified, last year)',
      company: company(22, 'lvyou', 'lvyou3', '邓洁', '太仓示例生物科技有限公司', '医药制造业', '生物试剂的研发、生产和销售'),
      track: 'provincial-demo',
      lastYear: true,
      holds: ['standard', 'municipal-demo'],
      async drive(w, c) {
        await demonstration.recommend(w, c, ['district', 'city', 'suzhou']);
        await demonstration.contract(w, c, 'guwen2', `苏信备〔${c.program.year}〕022号`);
        await demonstration.creation(w, c, 'guwen2');
        await demonstration.applicationPackage(w, c);
        await demonstration.pass(w, c, await w.office('jiangsu'));
        later('省级示范 · 已认定')(c);
      },
    },
    // 贯标, this year
    {
      name: '贯标 · 待镇（区）初审 (waiting for district review)',
      company: company(1, 'gangqu', 'gangqu1', '周凯', '太仓港区示例物流有限公司', '交通运输、仓储和邮政业', '道路货物运输、仓储服务'),
      track: 'standard',
      async drive() {},
    },
    {
      name: '贯标 · 退回补正 (returned for correction)',
      company: company(2, 'gaoxin', 'gaoxin1', '林娜', '太仓高新示例电子科技有限公司', '计算机、通信和其他电子设备制造业', '电子元器件的研发、制造'),
      track: 'standard',
      async drive(w, c) {
        await standard.districtReview(w, c, 'return', '信用信息查询报告不完整，请补充近三年完整报告后重新提交。');
      },
    },
    {
      name: '贯标 · 未通过初审 (rejected)',
      company: company(3, 'lvyou', 'lvyou1', '黄磊', '太仓示例文旅发展有限公司', '文化、体育和娱乐业', '旅游景区运营、酒店管理'),
      track: 'standard',
      async drive(w, c) {
        await standard.districtReview(w, c, 'reject', '经核实，企业主营业务尚未正常经营满两年，不符合申报条件。');
      },
    },
    {
      name: '贯标 · 已汇总报送，待市经信委审核 (forwarded, city review)',
      company: company(4, 'kejiao', 'kejiao1', '郭婷', '太仓科教示例软件有限公司', '软件和信息技术服务业', '工业软件开发与技术服务'),
      track: 'standard',
      async drive(w, c) {
        await standard.districtReview(w, c, 'approve', '材料齐全，同意上报。');
        await standard.forward(w, c);
      },
    },
    {
      name: '贯标 · 初审通过，待汇总报送 (approved, waiting for the batch)',
      company: company(5, 'chengxiang', 'chengxiang1', '马超', '太仓城厢示例食品有限公司', '食品制造业', '烘焙食品的生产和销售'),
      track: 'standard',
      async drive(w, c) {
        await standard.districtReview(w, c, 'approve', '材料齐全，同意上报。');
      },
    },
    {
      name: '贯标 · 自主贯标中，已聘请顾问 (self-compliance, with a consultant)',
      company: DEMO_ENTERPRISE,
      track: 'standard',
      async drive(w, c) {
        await standard.admit(w, c);
        await w.services.cases.assignConsultant(c.enterprise, c.id, (await w.office('guwen')).userId);
        await standard.checklist(w, c, ['working_group', 'credit_department']);
      },
    },
    {
      name: '贯标 · 补正后重新提交，待初审 (corrected, back at district review)',
      company: shaxiTextiles,
      track: 'standard',
      async drive(w, c) {
        await standard.districtReview(w, c, 'return', '申报表中的经营地址与营业执照不一致，请更正。');
        const record = await w.orm.em.fork().findOneOrFail(CaseRecord, { id: c.id });
        const original = applicationOf(shaxiTextiles, record.application.creditReportFileId);
        const application = { ...original, businessAddress: '太仓市沙溪镇示例工业园8号' };
        await w.complete(c.enterprise, c.id, 'correct_application', { outcome: 'resubmit', application, comment: '已更正经营地址。' });
      },
    },
    {
      name: '贯标 · 验收材料已报送，待镇（区）审核 (acceptance: district check)',
      company: company(7, 'huangjing', 'huangjing1', '朱红', '太仓璜泾示例化纤有限公司', '化学纤维制造业', '涤纶长丝的生产和销售'),
      track: 'standard',
      async drive(w, c) {
        await standard.toAcceptance(w, c);
      },
    },
    {
      name: '贯标 · 市经信委统一验收中 (acceptance: city)',
      company: company(8, 'shuangfeng', 'shuangfeng1', '胡斌', '太仓双凤示例新材料有限公司', '橡胶和塑料制品业', '复合材料的研发和生产'),
      track: 'standard',
      async drive(w, c) {
        await standard.toAcceptance(w, c);
        await standard.acceptanceByDistrict(w, c);
      },
    },
    {
      name: '贯标 · 苏州市信用办验收审核中 (acceptance: Suzhou)',
      company: company(9, 'fuqiao', 'fuqiao1', '高翔', '太仓浮桥示例装备有限公司', '专用设备制造业', '港口机械的设计和制造'),
      track: 'standard',
      async drive(w, c) {
        await standard.toAcceptance(w, c);
        await standard.acceptanceByDistrict(w, c);
        await standard.acceptanceByCity(w, c);
      },
    },
    {
      name: '贯标 · 已通过验收 (certified)',
      company: company(10, 'gangqu', 'gangqu2', '罗平', '太仓示例港务机械有限公司', '通用设备制造业', '起重机械的维修和租赁'),
      track: 'standard',
      async drive(w, c) {
        await standard.toAcceptance(w, c);
        await standard.acceptanceByDistrict(w, c);
        await standard.acceptanceByCity(w, c);
        await standard.certify(w, c, `苏信用贯标〔${c.program.year}〕001号`);
      },
    },
    // 市级示范, this year: the city's quota (4) is used by the four past its recommendation
    {
      name: '市级示范 · 待镇（区）推荐 (district recommendation)',
      company: company(12, 'shaxi', 'shaxi3', '宋佳', '太仓沙溪示例印染有限公司', '纺织业', '纺织品的印染加工'),
      track: 'municipal-demo',
      holds: ['standard'],
      async drive() {},
    },
    {
      name: '市级示范 · 待市经信委推荐 (city recommendation)',
      company: company(13, 'gaoxin', 'gaoxin2', '唐亮', '太仓高新示例医疗器械有限公司', '专用设备制造业', '医疗器械的研发和生产'),
      track: 'municipal-demo',
      holds: ['standard'],
      async drive(w, c) {
        await demonstration.recommend(w, c, ['district']);
      },
    },
    {
      name: '市级示范 · 待信用服务机构签订合同 (contract: the agency signs)',
      company: company(14, 'lvyou', 'lvyou2', '韩梅', '太仓示例酒店管理有限公司', '住宿和餐饮业', '酒店经营和管理'),
      track: 'municipal-demo',
      holds: ['standard'],
      async drive(w, c) {
        await demonstration.recommend(w, c, ['district', 'city']);
        await demonstration.chooseAgency(w, c, 'guwen2');
      },
    },
    {
      name: '市级示范 · 示范创建：现场调查已安排 (creation: survey scheduled)',
      company: company(15, 'kejiao', 'kejiao2', '冯涛', '太仓科教示例智能科技有限公司', '软件和信息技术服务业', '智能制造系统集成'),
      track: 'municipal-demo',
      holds: ['standard'],
      async drive(w, c) {
        await demonstration.recommend(w, c, ['district', 'city']);
        await demonstration.contract(w, c, 'guwen', `苏信备〔${c.program.year}〕015号`);
        const inThreeDays = localDate(new Date(Date.now() + 3 * DAY_MS), c.program.timeZone);
        await demonstration.scheduleSurvey(w, c, await w.office('guwen'), `${inThreeDays}T09:30`);
      },
    },
    {
      name: '市级示范 · 准备申报材料 (application package)',
      company: company(16, 'huangjing', 'huangjing2', '董琳', '太仓璜泾示例塑业有限公司', '橡胶和塑料制品业', '塑料包装材料的生产'),
      track: 'municipal-demo',
      holds: ['standard'],
      async drive(w, c) {
        await demonstration.recommend(w, c, ['district', 'city']);
        await demonstration.contract(w, c, 'guwen', `苏信备〔${c.program.year}〕016号`);
        await demonstration.creation(w, c, 'guwen');
      },
    },
    {
      name: '市级示范 · 公示中，有一件异议待核查 (publicity, an objection open)',
      company: company(17, 'shuangfeng', 'shuangfeng2', '萧军', '太仓双凤示例建材有限公司', '非金属矿物制品业', '新型建材的生产和销售'),
      track: 'municipal-demo',
      holds: ['standard'],
      async drive(w, c) {
        await demonstration.recommend(w, c, ['district', 'city']);
        await demonstration.contract(w, c, 'guwen2', `苏信备〔${c.program.year}〕017号`);
        await demonstration.creation(w, c, 'guwen2');
        await demonstration.applicationPackage(w, c);
        await demonstration.pass(w, c, await w.office('suzhou'));
        await demonstration.object(w, c);
      },
    },
    // 省级示范, this year: the city's quota (1) is used by the one waiting for its acceptance date
    {
      name: '省级示范 · 待镇（区）推荐 (district recommendation)',
      company: company(18, 'fuqiao', 'fuqiao2', '程伟', '太仓浮桥示例电力设备有限公司', '电气机械和器材制造业', '输配电设备的生产'),
      track: 'provincial-demo',
      holds: ['standard', 'municipal-demo'],
      async drive() {},
    },
    {
      name: '省级示范 · 待江苏省信用办确定验收时间 (waiting for the acceptance date)',
      company: company(19, 'chengxiang', 'chengxiang2', '曹敏', '太仓城厢示例汽车零部件有限公司', '汽车制造业', '汽车零部件的研发和生产'),
      track: 'provincial-demo',
      holds: ['standard', 'municipal-demo'],
      async drive(w, c) {
        await demonstration.recommend(w, c, ['district', 'city', 'suzhou']);
        await demonstration.contract(w, c, 'guwen', `苏信备〔${c.program.year}〕019号`);
        await demonstration.creation(w, c, 'guwen');
        await demonstration.applicationPackage(w, c);
      },
    },
  ];
}

const CERTIFICATE_WORDS: Partial<Record<TrackId, string>> = { standard: '苏信用贯标', 'municipal-demo': '苏信用示范' };

/** The certificates the demonstration applicants hold from before the system: the admin imports them. */
async function importEarlierCertificates(w: World, cast: Scene[], today: string): Promise<void> {
  const year = Number(today.slice(0, 4));
  const rows = cast.flatMap((scene) =>
    (scene.holds ?? []).map((track, i) => {
      // the lower track's certificate first: three years ago, the next one two years ago
      const issuedOn = shiftDateToYear(today, year - 3 + i);
      return `${scene.company.uscc},${track},${CERTIFICATE_WORDS[track]}〔${issuedOn.slice(0, 4)}〕${scene.company.uscc.slice(-5)}号,${issuedOn}`;
    }),
  );
  const report = await w.services.registers.certificates.importCsv(await w.office('admin'), ['uscc,track,number,issuedOn', ...rows].join('\n'));
  // an earlier, interrupted start may have imported them already: those rows are refused as on record
  const refused = report.refused.filter((r) => !r.reasons.every((reason) => reason.includes('already on record')));
  if (refused.length) throw new Error(`certificates refused: ${JSON.stringify(refused)}`);
}

/**
 * Builds the world on a database without cases: the people, last year's demo program, the
 * certificates from before the system, then each scene's case as far as the scene goes; at last
 * it waits (bounded) for last year's demonstration cases to leave publicity certified. A scene
 * that fails is reported and the others go on.
 */
export async function buildDemoWorld(deps: DemoWorldDeps, options: DemoWorldOptions): Promise<DemoWorldReport> {
  const started = Date.now();
  const { program, patienceMs = 120_000, log = () => undefined } = options;
  const demoProgram = options.demoProgram ?? demoProgramFor(program);
  const services = createServices({ orm: deps.orm, temporal: deps.temporal, taskQueue: deps.taskQueue, sessionTtlHours: 1, documentWaitSeconds: 20, publicUrl: () => '' });
  const scratch = await mkdtemp(join(tmpdir(), 'credcase-demo-world-'));
  const world = new World(services, deps.orm, patienceMs, scratch);
  const failures: DemoWorldReport['failures'] = [];
  const certifiedLater: Certified[] = [];
  try {
    await publishProgram(deps.orm, demoProgram);
    for (const officer of DEMO_DISTRICT_OFFICERS) await createUser(deps.orm, officer, DEMO_PASSWORD);
    const cast = scenes(certifiedLater);
    await importEarlierCertificates(world, cast, localDate(new Date(), program.timeZone));
    for (const scene of cast) {
      try {
        const c = await world.apply(scene.company, scene.lastYear ? demoProgram : program, scene.track);
        await scene.drive(world, c);
        log(`demo world: ${scene.name} — ${c.id}`);
      } catch (error) {
        failures.push({ scene: scene.name, error: error instanceof Error ? error.message : String(error) });
      }
    }
    // last year's publicity passes on the compressed calendar: a few seconds after the last pass
    const publicityMs = 7 * DEMO_DAY_MS;
    for (const { scene, caseId } of certifiedLater) {
      const status = await world.closed(caseId, publicityMs + patienceMs).catch((error: unknown) => String(error));
      if (status !== 'certified') failures.push({ scene, error: `ended ${status}, not certified` });
    }
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
  const cases = await deps.orm.em.fork().find(CaseRecord, {}, { fields: ['district', 'track', 'status'] });
  const certified: DemoWorldReport['certified'] = {};
  for (const c of cases.filter((c) => c.status === 'certified')) certified[c.track as TrackId] = (certified[c.track as TrackId] ?? 0) + 1;
  return { cases: cases.length, districts: new Set(cases.map((c) => c.district)).size, certified, failures, ms: Date.now() - started };
}

/** The one line `./dev start` prints when the world is ready. */
export function describeReport(report: DemoWorldReport): string {
  const certified = `贯标 ${report.certified.standard ?? 0} / 市级示范 ${report.certified['municipal-demo'] ?? 0} / 省级示范 ${report.certified['provincial-demo'] ?? 0}`;
  const failed = report.failures.length ? `; ${report.failures.length} scene(s) failed: ${report.failures.map((f) => `${f.scene}: ${f.error}`).join('; ')}` : '';
  return `  demo world ready in ${Math.round(report.ms / 1000)} s: ${report.cases} cases in ${report.districts} districts, certified ${certified} (logins: README, "The demo world")${failed}`;
}

/**
 * On fresh data only (no case yet): builds the world and prints one line. Never throws: the server
 * runs on whatever happens here; an error is logged, unless the process is stopping anyway.
 */
export async function buildDemoWorldOnFreshData(deps: DemoWorldDeps, program: ProgramDefinition, isStopping: () => boolean = () => false): Promise<DemoWorldReport | null> {
  try {
    if (await deps.orm.em.fork().count(CaseRecord, {})) return null;
    const report = await buildDemoWorld(deps, { program });
    console.log(describeReport(report));
    return report;
  } catch (error) {
    if (!isStopping()) console.error('demo world not built:', error);
    return null;
  }
}
