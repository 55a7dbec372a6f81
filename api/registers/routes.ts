import { Router } from 'express';
import { requireActor } from '../../http/auth.ts';
import { parseInput } from '../../features/errors.ts';
import { params } from '../../features/validation.ts';
import type { AgencyService } from '../../features/registers/agencyService.ts';
import type { CertificateService } from '../../features/registers/certificateService.ts';
import { agencyConsultantBody, agencyCreateBody, agencyUpdateBody, certificateImportBody, certificateListQuery, revokeBody } from '../../features/registers/schemas.ts';

/** /api/certificates: the register, its CSV import (JSON {csv}), revocation. */
export function certificateRoutes(certificates: CertificateService): Router {
  const router = Router();
  router.get('/', async (req, res) => {
    const actor = requireActor(res);
    res.json({ certificates: await certificates.list(actor, parseInput(certificateListQuery, req.query, 'query')) });
  });
  router.post('/import', async (req, res) => {
    const actor = requireActor(res, 'admin');
    res.json(await certificates.importCsv(actor, parseInput(certificateImportBody, req.body).csv));
  });
  router.post('/:certificateNumber/revoke', async (req, res) => {
    const actor = requireActor(res, 'admin');
    const { certificateNumber } = params(req, 'certificateNumber');
    res.json(await certificates.revoke(actor, certificateNumber, parseInput(revokeBody, req.body).reason));
  });
  return router;
}

/** /api/agencies: the credit service agencies and their consultants. */
export function agencyRoutes(agencies: AgencyService): Router {
  const router = Router();
  router.get('/', async (_req, res) => {
    res.json({ agencies: await agencies.list(requireActor(res)) });
  });
  router.post('/', async (req, res) => {
    const actor = requireActor(res, 'admin');
    res.status(201).json(await agencies.create(actor, parseInput(agencyCreateBody, req.body)));
  });
  router.get('/:agencyId', async (req, res) => {
    const actor = requireActor(res);
    res.json(await agencies.get(actor, params(req, 'agencyId').agencyId));
  });
  router.patch('/:agencyId', async (req, res) => {
    const actor = requireActor(res, 'admin');
    const { agencyId } = params(req, 'agencyId');
    res.json(await agencies.update(actor, agencyId, parseInput(agencyUpdateBody, req.body)));
  });
  router.post('/:agencyId/consultants', async (req, res) => {
    const actor = requireActor(res, 'admin');
    const { agencyId } = params(req, 'agencyId');
    res.status(201).json(await agencies.addConsultant(actor, agencyId, parseInput(agencyConsultantBody, req.body)));
  });
  return router;
}
