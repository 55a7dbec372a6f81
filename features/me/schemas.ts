import { z } from 'zod';

/** A person's own settings: the daily digest instead of single reminders, and the language. */
export const preferencesBody = z.strictObject({
  digest: z.boolean({ error: '应为 true 或 false (must be true or false)' }).optional(),
  locale: z.enum(['zh-CN', 'en'], { error: '应为 zh-CN 或 en (must be zh-CN or en)' }).optional(),
});
