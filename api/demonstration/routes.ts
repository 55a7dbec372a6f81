import { Router, type RequestHandler } from 'express';
import { requireActor } from '../../http/auth.ts';
import { acceptanceScheduleBody, objectionBody } from '../../features/cases/schemas.ts';
import { AppError, parseInput } from '../../features/errors.ts';
import { params, pathParams } from '../../features/validation.ts';
import { z } from 'zod';
import type { DemonstrationService } from '../../features/demonstration/demonstrationService.ts';

const quotaQuery = z.strictObject({ programId: pathParams.programId.optional() });

/** The offices' side of the demonstration tracks: quotas left, the acceptance date for a group, objections. */
export function demonstrationRoutes(demonstration: DemonstrationService): Router {
  const router = Router();
  router.get('/recommendation-quotas', async (req, res) => {
    const actor = requireActor(res, 'district_officer', 'city_officer', 'prefecture_officer');
    res.json({ quotas: await demonstration.quotas(actor, parseInput(quotaQuery, req.query).programId) });
  });
  router.post('/acceptance-schedules', async (req, res) => {
    const actor = requireActor(res, 'prefecture_officer', 'province_officer');
    res.status(201).json(await demonstration.scheduleAcceptance(actor, parseInput(acceptanceScheduleBody, req.body)));
  });
  router.get('/objections/:objectionId', async (req, res) => {
    requireActor(res, 'prefecture_officer', 'province_officer', 'city_officer');
    const { objectionId } = params(req, 'objectionId');
    const objection = await demonstration.objection(objectionId);
    if (!objection) throw new AppError('not_found', `没有异议 ${objectionId} (no such objection)`);
    res.json(objection);
  });
  return router;
}

/** 公示: the public list and the public's objections; no login, rate-limited. */
export function publicityRoutes(demonstration: DemonstrationService, throttle: RequestHandler): Router {
  const router = Router();
  router.get('/', async (_req, res) => {
    res.json({ cases: await demonstration.publicity() });
  });
  router.post('/:caseId/objections', throttle, async (req, res) => {
    const { caseId } = params(req, 'caseId');
    res.status(201).json(await demonstration.fileObjection(caseId, parseInput(objectionBody, req.body)));
  });
  return router;
}
