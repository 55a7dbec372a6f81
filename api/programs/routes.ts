import { Router } from 'express';
import { z } from 'zod';
import { requireActor } from '../auth/middleware.ts';
import { parseInput } from '../errors.ts';
import type { ProgramService } from './programService.ts';

const cloneBody = z.object({ year: z.number().int().min(2000).max(2100) });

/** The work plan is a public notice: reading needs no login. */
export function programRoutes(programs: ProgramService): Router {
  const router = Router();
  router.get('/', async (_req, res) => {
    res.json({ programs: await programs.list() });
  });
  router.get('/:id', async (req, res) => {
    res.json(await programs.latest(req.params.id));
  });
  router.get('/:id/rubric', async (req, res) => {
    const { rubric, grading } = await programs.latest(req.params.id);
    res.json({ ...rubric, grading });
  });
  router.post('/:id/clone', async (req, res) => {
    const actor = requireActor(res);
    const { year } = parseInput(cloneBody, req.body);
    res.status(201).json(await programs.cloneToYear(actor, req.params.id, year));
  });
  return router;
}
