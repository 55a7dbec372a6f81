import { Router } from 'express';
import { requireActor } from '../../http/auth.ts';
import { parseInput } from '../../features/errors.ts';
import { params } from '../../features/validation.ts';
import { signedScanBody } from '../../features/cases/schemas.ts';
import type { DocumentService } from '../../features/documents/documentService.ts';

/** A case's documents, mounted at /cases: print, follow the printing, hand back the signed scan. */
export function documentRoutes(documents: DocumentService): Router {
  const router = Router();
  router.get('/:caseId/documents', async (req, res) => {
    const actor = requireActor(res);
    res.json({ documents: await documents.list(actor, params(req, 'caseId').caseId) });
  });
  // 201 with the file once printed; 202 with the progress while a long binding goes on (GET follows it)
  router.post('/:caseId/documents/:documentKind', async (req, res) => {
    const actor = requireActor(res);
    const { caseId, documentKind } = params(req, 'caseId', 'documentKind');
    const printed = await documents.print(actor, caseId, documentKind);
    res.status(printed.status === 'ready' ? 201 : 202).json(printed);
  });
  router.get('/:caseId/documents/:documentKind', async (req, res) => {
    const actor = requireActor(res);
    const { caseId, documentKind } = params(req, 'caseId', 'documentKind');
    res.json(await documents.status(actor, caseId, documentKind));
  });
  router.post('/:caseId/documents/:documentKind/scans', async (req, res) => {
    const actor = requireActor(res);
    const { caseId, documentKind } = params(req, 'caseId', 'documentKind');
    await documents.requireScanHandler(actor, caseId, documentKind);
    res.status(201).json(await documents.attachSignedScan(actor, caseId, documentKind, parseInput(signedScanBody, req.body).fileId));
  });
  return router;
}
