import { Router } from 'express';
import { z } from 'zod';
import { requireActor } from '../../http/auth.ts';
import { parseInput } from '../../features/errors.ts';
import { params } from '../../features/validation.ts';
import type { ProgramService } from '../../features/programs/programService.ts';

const cloneBody = z.strictObject({ year: z.number({ error: '应为年份 (must be a year)' }).int('应为年份 (must be a year)').min(2000, '应为 2000–2100 年 (a year 2000–2100)').max(2100, '应为 2000–2100 年 (a year 2000–2100)') });

/** The work plan is a public notice: reading needs no login. */
export function programRoutes(programs: ProgramService): Router {
  const router = Router();
  router.get('/', async (_req, res) => {
    res.json({ programs: await programs.list() });
  });
  router.get('/:programId', async (req, res) => {
    res.json(await programs.latest(params(req, 'programId').programId));
  });
  router.get('/:programId/rubric', async (req, res) => {
    const { rubric, grading } = await programs.latest(params(req, 'programId').programId);
    res.json({ ...rubric, grading });
  });
  router.post('/:programId/clone', async (req, res) => {
    const actor = requireActor(res, 'admin');
    const { programId } = params(req, 'programId');
    const { year } = parseInput(cloneBody, req.body);
    res.status(201).json(await programs.cloneToYear(actor, programId, year));
  });
  return router;
}
