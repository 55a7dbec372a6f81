import { usccCheckCharacter } from '../domain/identity/uscc.ts';
import type { Role } from '../domain/identity/roles.ts';
import { cloneProgramForYear, programDeadline } from '../domain/program/program.ts';
import { localDate } from '../domain/program/calendar.ts';
import { TAICANG_2018 } from '../domain/program/taicang2018.ts';
import type { ProgramDefinition } from '../domain/program/types.ts';
import { hashPassword } from '../features/auth/authService.ts';
import { AgencyRecord, ProgramRecord, UserRecord } from '../infra/db/entities.ts';
import type { Orm } from '../infra/db/orm.ts';

export const DEMO_PASSWORD = 'demo1234';
export const DEMO_ENTERPRISE_USCC = `91320585MA1TC0001${usccCheckCharacter('91320585MA1TC0001')}`;

export interface DemoUser {
  email: string;
  name: string;
  role: Role;
  scopeId: string | null;
}

export const DEMO_USERS: DemoUser[] = [
  { email: 'qiye@demo.local', name: '王敏（太仓示例精密机械有限公司）', role: 'enterprise', scopeId: DEMO_ENTERPRISE_USCC },
  { email: 'guwen@demo.local', name: '李强（苏州示例信用服务有限公司）', role: 'consultant', scopeId: 'agency-demo' },
  { email: 'shaxi@demo.local', name: '陈静（沙溪镇经发中心）', role: 'district_officer', scopeId: 'shaxi' },
  { email: 'city@demo.local', name: '周涛（市经信委融资与担保科）', role: 'city_officer', scopeId: null },
  { email: 'suzhou@demo.local', name: '吴芳（苏州市信用办）', role: 'prefecture_officer', scopeId: null },
  { email: 'jiangsu@demo.local', name: '郑伟（江苏省信用办）', role: 'province_officer', scopeId: null },
  { email: 'admin@demo.local', name: '系统管理员', role: 'admin', scopeId: null },
];

/** An officer for each of the other eight districts (沙溪镇's is in DEMO_USERS): `<district code>@demo.local`. */
export const DEMO_DISTRICT_OFFICERS: DemoUser[] = [
  { email: 'gangqu@demo.local', name: '赵磊（港区经发局）', role: 'district_officer', scopeId: 'gangqu' },
  { email: 'gaoxin@demo.local', name: '孙婷（高新区经发局）', role: 'district_officer', scopeId: 'gaoxin' },
  { email: 'lvyou@demo.local', name: '钱浩（旅游度假区经发局）', role: 'district_officer', scopeId: 'lvyou' },
  { email: 'kejiao@demo.local', name: '冯雪（科教新城经发局）', role: 'district_officer', scopeId: 'kejiao' },
  { email: 'chengxiang@demo.local', name: '何军（城厢镇经发中心）', role: 'district_officer', scopeId: 'chengxiang' },
  { email: 'huangjing@demo.local', name: '许丽（璜泾镇经发中心）', role: 'district_officer', scopeId: 'huangjing' },
  { email: 'shuangfeng@demo.local', name: '韩冰（双凤镇经发中心）', role: 'district_officer', scopeId: 'shuangfeng' },
  { email: 'fuqiao@demo.local', name: '曹阳（浮桥镇经发中心）', role: 'district_officer', scopeId: 'fuqiao' },
];

/** A registered credit service agency of the demo, with the consultants it brings beyond DEMO_USERS. */
export interface DemoAgency {
  id: string;
  name: string;
  uscc: string;
  contactPerson: string;
  contactPhone: string;
  address: string;
  consultants: DemoUser[];
}

/** The demo consultant (李强, DEMO_USERS) works for agency-demo; a second agency gives enterprises a choice. */
export const DEMO_AGENCIES: DemoAgency[] = [
  {
    id: 'agency-demo',
    name: '苏州示例信用服务有限公司',
    uscc: `91320500MA1XY0001${usccCheckCharacter('91320500MA1XY0001')}`,
    contactPerson: '李强',
    contactPhone: '0512-68001234',
    address: '苏州市姑苏区示例路1号',
    consultants: [],
  },
  {
    id: 'agency-jiangnan',
    name: '江南示例征信服务有限公司',
    uscc: `91320500MA1XY0002${usccCheckCharacter('91320500MA1XY0002')}`,
    contactPerson: '孙丽',
    contactPhone: '0512-68005678',
    address: '苏州市工业园区示例大道8号',
    consultants: [{ email: 'guwen2@demo.local', name: '孙丽（江南示例征信服务有限公司）', role: 'consultant', scopeId: 'agency-jiangnan' }],
  },
];

/** The demo agencies and their extra consultants, each created once (the demo and test systems call it). */
export async function seedAgencies(orm: Orm, password: string): Promise<void> {
  for (const { consultants, ...agency } of DEMO_AGENCIES) {
    await orm.em.fork().upsert(AgencyRecord, { ...agency, active: true, createdAt: new Date() }, { onConflictAction: 'ignore' });
    for (const consultant of consultants) await createUser(orm, consultant, password);
  }
}

/** Stores a program version if it is not there yet; programs are immutable once stored. */
export async function publishProgram(orm: Orm, program: ProgramDefinition): Promise<void> {
  await orm.em.fork().upsert(
    ProgramRecord,
    { id: program.id, version: program.version, year: program.year, city: program.city, definition: program, createdAt: new Date() },
    { onConflictAction: 'ignore' },
  );
}

export async function createUser(orm: Orm, user: DemoUser, password: string): Promise<string> {
  const em = orm.em.fork();
  const existing = await em.findOne(UserRecord, { email: user.email });
  if (existing) return existing.id;
  const record = em.create(UserRecord, { id: crypto.randomUUID(), ...user, passwordHash: await hashPassword(password), active: true, locale: 'zh-CN', createdAt: new Date() });
  await em.flush();
  return record.id;
}

/**
 * The demo: the Taicang program as transcribed, moved to this year, and one user per role. Once
 * this year's application deadline has passed, next year's plan is published too, so the demo
 * can take applications (new applications go to the latest plan).
 */
export async function seedDemo(orm: Orm, now: Date): Promise<ProgramDefinition> {
  const year = Number(localDate(now, TAICANG_2018.timeZone).slice(0, 4));
  await publishProgram(orm, TAICANG_2018);
  let program = cloneProgramForYear(TAICANG_2018, year);
  await publishProgram(orm, program);
  if (programDeadline(program, program.tracks.standard!.deadlines.application!) < now) {
    program = cloneProgramForYear(TAICANG_2018, year + 1);
    await publishProgram(orm, program);
  }
  for (const user of [...DEMO_USERS, ...DEMO_DISTRICT_OFFICERS]) await createUser(orm, user, DEMO_PASSWORD);
  await seedAgencies(orm, DEMO_PASSWORD);
  return program;
}
