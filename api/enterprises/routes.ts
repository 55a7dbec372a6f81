import { Router } from 'express';
import { requireActor } from '../auth/middleware.ts';
import { creditRecordBody, draftSchema } from '../cases/schemas.ts';
import { parseInput } from '../errors.ts';
import type { EnterpriseService } from './enterpriseService.ts';

export function enterpriseRoutes(enterprises: EnterpriseService): Router {
  const router = Router();
  router.get('/:uscc', async (req, res) => {
    res.json(await enterprises.get(requireActor(res), req.params.uscc));
  });
  router.post('/:uscc/reveal-id-number', async (req, res) => {
    res.json(await enterprises.revealIdNumber(requireActor(res), req.params.uscc));
  });
  router.get('/:uscc/id-number-access-log', async (req, res) => {
    res.json({ accesses: await enterprises.accessLog(requireActor(res), req.params.uscc) });
  });
  router.get('/:uscc/credit-records', async (req, res) => {
    res.json({ records: await enterprises.creditRecords(requireActor(res), req.params.uscc) });
  });
  router.post('/:uscc/credit-records', async (req, res) => {
    const actor = requireActor(res);
    res.status(201).json(await enterprises.recordCredit(actor, req.params.uscc, parseInput(creditRecordBody, req.body)));
  });
  return router;
}

export function draftRoutes(enterprises: EnterpriseService): Router {
  const router = Router();
  router.get('/:programId/:track', async (req, res) => {
    res.json({ draft: await enterprises.draft(requireActor(res), req.params.programId, req.params.track) });
  });
  router.put('/:programId/:track', async (req, res) => {
    const actor = requireActor(res);
    res.json({ draft: await enterprises.saveDraft(actor, req.params.programId, req.params.track, parseInput(draftSchema, req.body)) });
  });
  return router;
}
