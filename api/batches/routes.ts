import { Router } from 'express';
import { requireActor } from '../../http/auth.ts';
import { batchBody } from '../../features/cases/schemas.ts';
import { parseInput } from '../../features/errors.ts';
import type { BatchService } from '../../features/batches/batchService.ts';

export function batchRoutes(batches: BatchService): Router {
  const router = Router();
  router.get('/', async (_req, res) => {
    res.json({ batches: await batches.list(requireActor(res)) });
  });
  router.post('/', async (req, res) => {
    const actor = requireActor(res, 'district_officer');
    res.status(201).json(await batches.forward(actor, parseInput(batchBody, req.body).caseIds));
  });
  return router;
}
