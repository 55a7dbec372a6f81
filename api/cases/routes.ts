import { Router } from 'express';
import { requireActor } from '../auth/middleware.ts';
import { parseInput } from '../errors.ts';
import type { CaseService } from './caseService.ts';
import { submitApplicationBody } from './schemas.ts';

export function caseRoutes(cases: CaseService): Router {
  const router = Router();
  router.post('/', async (req, res) => {
    const actor = requireActor(res);
    const body = parseInput(submitApplicationBody, req.body);
    res.status(201).json(await cases.submitApplication(actor, body));
  });
  router.get('/', async (_req, res) => {
    res.json({ cases: await cases.listCases(requireActor(res)) });
  });
  router.get('/:id', async (req, res) => {
    res.json(await cases.getCase(requireActor(res), req.params.id));
  });
  return router;
}
