import type { ProgramDefinition, ReviewStep } from './types.ts';

/** 镇（区）初审 then 市经信委审核: the district forwards to the city section, which decides. */
const DISTRICT_THEN_CITY: ReviewStep[] = [
  { stage: 'district_review', role: 'district_officer', reviewDays: 5 },
  { stage: 'city_review', role: 'city_officer', reviewDays: 10 },
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
    { code: 'gangqu', name: '港区', quotas: { standard: 4 } },
    { code: 'gaoxin', name: '高新区', quotas: { standard: 4 } },
    { code: 'lvyou', name: '旅游度假区', quotas: { standard: 4 } },
    { code: 'kejiao', name: '科教新城', quotas: { standard: 3 } },
    { code: 'chengxiang', name: '城厢镇', quotas: { standard: 4 } },
    { code: 'shaxi', name: '沙溪镇', quotas: { standard: 4 } },
    { code: 'huangjing', name: '璜泾镇', quotas: { standard: 4 } },
    { code: 'shuangfeng', name: '双凤镇', quotas: { standard: 4 } },
    { code: 'fuqiao', name: '浮桥镇', quotas: { standard: 4 } },
  ],
  tracks: {
    standard: {
      id: 'standard',
      name: '信用管理贯标',
      deadlines: {
        application: { date: '2018-06-08', time: '23:59', inclusive: true },
        acceptanceMaterials: { date: '2018-07-31', time: '23:59', inclusive: true },
      },
      applicationReview: DISTRICT_THEN_CITY,
    },
    'municipal-demo': {
      id: 'municipal-demo',
      name: '苏州市级信用管理示范企业创建',
      cityQuota: 4,
      deadlines: {
        recommendation: { date: '2018-06-30', time: '23:59', inclusive: true },
        applicationPackage: { date: '2018-08-15', time: '23:59', inclusive: true },
      },
      applicationReview: DISTRICT_THEN_CITY,
    },
    'provincial-demo': {
      id: 'provincial-demo',
      name: '江苏省级信用管理示范企业创建',
      cityQuota: 1,
      deadlines: {
        recommendation: { date: '2018-06-30', time: '23:59', inclusive: true },
        applicationPackage: { date: '2018-11-30', time: '23:59', inclusive: true },
      },
      applicationReview: DISTRICT_THEN_CITY,
    },
  },
  correctionDays: 5,
};
