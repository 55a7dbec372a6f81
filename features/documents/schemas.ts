import { z } from 'zod';
import { safeString } from '../validation.ts';

/**
 * Which 汇总表: a district's (its code), the whole city's (null), or, when left out, the asker's own
 * (a district office's district, the city for the higher offices).
 */
export const summaryListBody = z.strictObject({
  district: safeString()
    .max(64, '应为镇（区）编号 (must be a district code)')
    .regex(/^[a-z0-9][a-z0-9-]{0,63}$/, '应为镇（区）编号 (must be a district code)')
    .nullable()
    .optional(),
});
export type SummaryListBody = z.infer<typeof summaryListBody>;
