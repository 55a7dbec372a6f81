import { Router } from 'express';
import { requireActor } from '../../http/auth.ts';
import { parseInput } from '../../features/errors.ts';
import { params } from '../../features/validation.ts';
import type { CaseService } from '../../features/cases/caseService.ts';
import { caseListQuery, consultantBody, extensionBody, holdBody, submitApplicationBody } from '../../features/cases/schemas.ts';

// Each route: who may act (401/403, or 404 for what the actor may not see) before what they sent (400).
export function caseRoutes(cases: CaseService): Router {
  const router = Router();
  router.post('/', async (req, res) => {
    const actor = requireActor(res, 'enterprise');
    const body = parseInput(submitApplicationBody, req.body);
    res.status(201).json(await cases.submitApplication(actor, body));
  });
  router.get('/', async (req, res) => {
    const actor = requireActor(res);
    res.json({ cases: await cases.listCases(actor, parseInput(caseListQuery, req.query, 'query')) });
  });
  router.get('/:caseId', async (req, res) => {
    const actor = requireActor(res);
    res.json(await cases.getCase(actor, params(req, 'caseId').caseId));
  });
  router.post('/:caseId/consultant', async (req, res) => {
    const actor = requireActor(res);
    const { caseId } = params(req, 'caseId');
    await cases.requireConsultantEngager(actor, caseId);
    res.json(await cases.assignConsultant(actor, caseId, parseInput(consultantBody, req.body).consultantUserId));
  });
  router.post('/:caseId/deadlines/:deadline/suspend', async (req, res) => {
    const actor = requireActor(res);
    const { caseId, deadline } = params(req, 'caseId', 'deadline');
    await cases.requireDeadlineHolder(actor, caseId);
    const { reason } = parseInput(holdBody, req.body);
    res.json(await cases.holdDeadline(actor, caseId, deadline, { reason }));
  });
  router.post('/:caseId/deadlines/:deadline/resume', async (req, res) => {
    const actor = requireActor(res);
    const { caseId, deadline } = params(req, 'caseId', 'deadline');
    await cases.requireDeadlineHolder(actor, caseId);
    parseInput(holdBody.partial(), req.body ?? {});
    res.json(await cases.holdDeadline(actor, caseId, deadline, null));
  });
  return router;
}

export function extensionRoutes(cases: CaseService): Router {
  const router = Router();
  router.post('/', async (req, res) => {
    const actor = requireActor(res, 'city_officer');
    res.status(201).json(await cases.grantExtension(actor, parseInput(extensionBody, req.body)));
  });
  return router;
}
