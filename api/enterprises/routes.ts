import { Router } from 'express';
import { requireActor } from '../../http/auth.ts';
import { creditRecordBody, draftSchema } from '../../features/cases/schemas.ts';
import { parseInput } from '../../features/errors.ts';
import { params } from '../../features/validation.ts';
import type { EnterpriseService } from '../../features/enterprises/enterpriseService.ts';

export function enterpriseRoutes(enterprises: EnterpriseService): Router {
  const router = Router();
  router.get('/:uscc', async (req, res) => {
    const actor = requireActor(res);
    res.json(await enterprises.get(actor, params(req, 'uscc').uscc));
  });
  router.post('/:uscc/reveal-id-number', async (req, res) => {
    const actor = requireActor(res);
    res.json(await enterprises.revealIdNumber(actor, params(req, 'uscc').uscc));
  });
  router.get('/:uscc/id-number-access-log', async (req, res) => {
    const actor = requireActor(res);
    res.json({ accesses: await enterprises.accessLog(actor, params(req, 'uscc').uscc) });
  });
  router.get('/:uscc/credit-records', async (req, res) => {
    const actor = requireActor(res);
    res.json({ records: await enterprises.creditRecords(actor, params(req, 'uscc').uscc) });
  });
  router.post('/:uscc/credit-records', async (req, res) => {
    const actor = requireActor(res, 'district_officer', 'city_officer', 'prefecture_officer', 'province_officer');
    const { uscc } = params(req, 'uscc');
    await enterprises.creditRecords(actor, uscc);
    res.status(201).json(await enterprises.recordCredit(actor, uscc, parseInput(creditRecordBody, req.body)));
  });
  return router;
}

export function draftRoutes(enterprises: EnterpriseService): Router {
  const router = Router();
  router.get('/:programId/:track', async (req, res) => {
    const actor = requireActor(res, 'enterprise');
    const { programId, track } = params(req, 'programId', 'track');
    res.json({ draft: await enterprises.draft(actor, programId, track) });
  });
  router.put('/:programId/:track', async (req, res) => {
    const actor = requireActor(res, 'enterprise');
    const { programId, track } = params(req, 'programId', 'track');
    res.json({ draft: await enterprises.saveDraft(actor, programId, track, parseInput(draftSchema, req.body)) });
  });
  return router;
}
