import { Router } from 'express';
import type { ProgramService } from './programService.ts';

/** The work plan is a public notice: no login. */
export function programRoutes(programs: ProgramService): Router {
  const router = Router();
  router.get('/', async (_req, res) => {
    res.json({ programs: await programs.list() });
  });
  router.get('/:id', async (req, res) => {
    res.json(await programs.latest(req.params.id));
  });
  return router;
}
