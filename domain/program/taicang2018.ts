import { TAICANG_ELIGIBILITY } from '../eligibility/eligibility.ts';
import { DEFAULT_GRADING, JIANGSU_SELF_EVALUATION_RUBRIC } from '../evaluation/jiangsuRubric.ts';
import { CHINA_2018_CALENDAR } from './workingDays.ts';
import type { MaterialDefinition, PackageItem, ProgramDefinition, RecommendationStep, ReviewStep, SelfComplianceItem } from './types.ts';

/** 镇（区）初审, 镇（区）汇总后报经信委, then 市经信委融资与担保科 decides. */
const APPLICATION_REVIEW: ReviewStep[] = [
  { stage: 'district_review', role: 'district_officer', reviewDays: 5, kind: 'review' },
  { stage: 'district_forwarding', role: 'district_officer', reviewDays: 5, kind: 'forward' },
  { stage: 'city_review', role: 'city_officer', reviewDays: 10, kind: 'review' },
];

/** 报送所在镇（区）→ 市经信委统一验收 → 苏州市信用办验收审核, which issues the certificate. */
const STANDARD_ACCEPTANCE: ReviewStep[] = [
  { stage: 'acceptance_district_check', role: 'district_officer', reviewDays: 5, kind: 'review' },
  { stage: 'acceptance_city_review', role: 'city_officer', reviewDays: 15, kind: 'review', adjustsScores: true },
  { stage: 'acceptance_prefecture_review', role: 'prefecture_officer', reviewDays: 30, kind: 'review', issuesCertificate: true },
];

/** 申报材料 and 验收材料 of the standard-compliance track (二(一)1(2) and 3(2)). */
const MATERIALS: MaterialDefinition[] = [
  { key: 'application_form', stage: 'application', title: '江苏省信用管理贯标企业申报表', source: 'generated', signature: false, stamp: true, required: true, attachment: 2, copies: 2 },
  { key: 'credit_report', stage: 'application', title: '企业近三年信用信息查询报告', source: 'upload', signature: false, stamp: false, required: true },
  { key: 'work_summary', stage: 'acceptance', title: '企业贯标工作总结报告', source: 'upload', signature: false, stamp: false, required: true },
  { key: 'internal_evaluation', stage: 'acceptance', title: '企业信用管理内部评估报告', source: 'upload', signature: false, stamp: false, required: true },
  { key: 'commitment_letter', stage: 'acceptance', title: '贯标申报信用承诺书', source: 'upload', signature: true, stamp: true, required: true, attachment: 3 },
  { key: 'self_evaluation', stage: 'acceptance', title: '江苏省企业信用管理状况评价指标自评表', source: 'form', signature: false, stamp: true, required: true, attachment: 4 },
  { key: 'self_evaluation_evidence', stage: 'acceptance', title: '企业信用管理状况评价指标的佐证材料', source: 'upload', signature: false, stamp: false, required: true },
];

/** 自主贯标实施步骤 ①–④: what the enterprise does in June and July. */
const SELF_COMPLIANCE: SelfComplianceItem[] = [
  { key: 'working_group', title: '成立贯标工作小组', fields: { leader: '组长（企业主要负责人）', members: '小组成员（相关业务部门负责人）', dedicatedStaff: '专职人员（至少1名）' }, upload: false },
  { key: 'work_plan', title: '制定贯标工作方案', fields: {}, upload: true },
  { key: 'credit_department', title: '明确信用管理部门和岗位职责', fields: { department: '信用管理部门', duties: '岗位职责' }, upload: false },
  { key: 'training', title: '开展贯标培训', fields: { trainedOn: '培训日期', attendees: '参训人数', topic: '培训内容' }, upload: false },
  { key: 'internal_evaluation', title: '开展内部评估，形成内部评估报告', fields: {}, upload: true },
];

/** 申报材料 of a demonstration track (二(二)2(2), 二(三)2(2)) in the seed's order; ⑧ names the track's own form. */
function packageItems(applicationFormTitle: string): PackageItem[] {
  return [
    { key: 'cover', title: '封面（统一用蓝色皮纹纸）', source: 'generated', materials: [] },
    { key: 'contents', title: '目录', source: 'generated', materials: [] },
    { key: 'contract', title: '信用服务机构与企业签订的合同（经苏州市信用办盖章鉴定）', source: 'case', materials: ['contract'] },
    { key: 'survey', title: '现场调查报告及企业负责人签字的现场调查回执', source: 'case', materials: ['survey_report', 'survey_receipt'] },
    { key: 'internal_evaluation', title: '企业信用管理内部评估报告', source: 'case', materials: ['internal_evaluation_report'] },
    { key: 'work_plan', title: '企业信用管理示范创建工作计划', source: 'case', materials: ['work_plan'] },
    { key: 'evaluation', title: '企业信用管理评价报告及企业书面反馈意见', source: 'case', materials: ['evaluation_report', 'evaluation_feedback'] },
    { key: 'application_form', title: applicationFormTitle, source: 'upload', materials: ['demonstration_application_form'] },
    { key: 'legal_person_credit_report', title: '社会法人信用信息查询报告', source: 'upload', materials: ['legal_person_credit_report'] },
  ];
}

/** 镇（区）择优推荐1家 → 市经信委择优推荐 to 苏州市信用办. */
const CITY_RECOMMENDATION: RecommendationStep[] = [
  { stage: 'district_recommendation', role: 'district_officer', reviewDays: 10, quota: 'district' },
  { stage: 'city_recommendation', role: 'city_officer', reviewDays: 10, quota: 'city' },
];

/**
 * 2018年太仓市企业信用管理贯标和示范创建工作方案 (太经信融担〔2018〕1号), transcribed from the seed.
 * Deadlines read "X月X日之前"; we take them as inclusive to the end of that day, the reading
 * that never turns away an enterprise that handed in on the day.
 */
export const TAICANG_2018: ProgramDefinition = {
  id: 'taicang-2018',
  version: 1,
  city: '太仓市',
  year: 2018,
  title: '2018年太仓市企业信用管理贯标和示范创建工作方案',
  timeZone: 'Asia/Shanghai',
  source: '太经信融担〔2018〕1号',
  issuedBy: '太仓市经济和信息化委员会 融资与担保科',
  districts: [
    { code: 'gangqu', name: '港区', quotas: { standard: 4, 'municipal-demo': 1, 'provincial-demo': 1 } },
    { code: 'gaoxin', name: '高新区', quotas: { standard: 4, 'municipal-demo': 1, 'provincial-demo': 1 } },
    { code: 'lvyou', name: '旅游度假区', quotas: { standard: 4, 'municipal-demo': 1, 'provincial-demo': 1 } },
    { code: 'kejiao', name: '科教新城', quotas: { standard: 3, 'municipal-demo': 1, 'provincial-demo': 1 } },
    { code: 'chengxiang', name: '城厢镇', quotas: { standard: 4, 'municipal-demo': 1, 'provincial-demo': 1 } },
    { code: 'shaxi', name: '沙溪镇', quotas: { standard: 4, 'municipal-demo': 1, 'provincial-demo': 1 } },
    { code: 'huangjing', name: '璜泾镇', quotas: { standard: 4, 'municipal-demo': 1, 'provincial-demo': 1 } },
    { code: 'shuangfeng', name: '双凤镇', quotas: { standard: 4, 'municipal-demo': 1, 'provincial-demo': 1 } },
    { code: 'fuqiao', name: '浮桥镇', quotas: { standard: 4, 'municipal-demo': 1, 'provincial-demo': 1 } },
  ],
  tracks: {
    standard: {
      id: 'standard',
      name: '信用管理贯标',
      deadlines: {
        application: { date: '2018-06-08', time: '23:59', inclusive: true },
        acceptanceMaterials: { date: '2018-07-31', time: '23:59', inclusive: true },
      },
      applicationReview: APPLICATION_REVIEW,
      acceptanceReview: STANDARD_ACCEPTANCE,
    },
    'municipal-demo': {
      id: 'municipal-demo',
      name: '苏州市级信用管理示范企业创建',
      cityQuota: 4,
      deadlines: {
        recommendation: { date: '2018-06-30', time: '23:59', inclusive: true },
        applicationPackage: { date: '2018-08-15', time: '23:59', inclusive: true },
      },
      applicationReview: [],
      acceptanceReview: [],
      demonstration: {
        prerequisite: { certificate: 'standard', minYears: 1 },
        recommendation: CITY_RECOMMENDATION,
        contractFiler: 'prefecture_officer',
        creationTaskDays: 10,
        packageItems: packageItems('苏州市信用管理示范企业申报表'),
        packageSubmitter: 'city_officer',
        acceptor: 'prefecture_officer',
        publicityWorkingDays: 7,
        certificatePrefix: '苏州市信用管理示范企业',
      },
    },
    'provincial-demo': {
      id: 'provincial-demo',
      name: '江苏省级信用管理示范企业创建',
      cityQuota: 1,
      deadlines: {
        recommendation: { date: '2018-06-30', time: '23:59', inclusive: true },
        applicationPackage: { date: '2018-11-30', time: '23:59', inclusive: true },
      },
      applicationReview: [],
      acceptanceReview: [],
      demonstration: {
        prerequisite: { certificate: 'municipal-demo', minYears: 1 },
        // 市经信委向苏州市信用办择优推荐，苏州市信用办再向江苏省信用办择优推荐
        recommendation: [...CITY_RECOMMENDATION, { stage: 'prefecture_recommendation', role: 'prefecture_officer', reviewDays: 10, quota: 'none' }],
        contractFiler: 'prefecture_officer',
        creationTaskDays: 20,
        packageItems: packageItems('江苏省信用管理示范企业申报表'),
        packageSubmitter: 'city_officer',
        acceptor: 'province_officer',
        publicityWorkingDays: 7,
        certificatePrefix: '江苏省信用管理示范企业',
      },
    },
  },
  correctionDays: 5,
  eligibility: TAICANG_ELIGIBILITY,
  materials: MATERIALS,
  selfCompliance: SELF_COMPLIANCE,
  rubric: JIANGSU_SELF_EVALUATION_RUBRIC,
  grading: DEFAULT_GRADING,
  reminders: { daysBefore: [7, 3, 1], onDueDay: true, overdueNotice: true, escalateAfterDaysOverdue: 3 },
  calendar: CHINA_2018_CALENDAR,
};
