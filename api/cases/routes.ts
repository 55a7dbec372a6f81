import { Router } from 'express';
import { requireActor } from '../auth/middleware.ts';
import { parseInput } from '../errors.ts';
import type { CaseService } from './caseService.ts';
import { consultantBody, extensionBody, holdBody, submitApplicationBody } from './schemas.ts';

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
  router.post('/:id/consultant', async (req, res) => {
    const actor = requireActor(res);
    res.json(await cases.assignConsultant(actor, req.params.id, parseInput(consultantBody, req.body).consultantUserId));
  });
  router.post('/:id/deadlines/:deadline/suspend', async (req, res) => {
    const actor = requireActor(res);
    const { reason } = parseInput(holdBody, req.body);
    res.json(await cases.holdDeadline(actor, req.params.id, req.params.deadline, { reason }));
  });
  router.post('/:id/deadlines/:deadline/resume', async (req, res) => {
    res.json(await cases.holdDeadline(requireActor(res), req.params.id, req.params.deadline, null));
  });
  return router;
}

export function extensionRoutes(cases: CaseService): Router {
  const router = Router();
  router.post('/', async (req, res) => {
    const actor = requireActor(res);
    res.status(201).json(await cases.grantExtension(actor, parseInput(extensionBody, req.body)));
  });
  return router;
}
