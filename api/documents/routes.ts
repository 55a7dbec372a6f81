import { Router, type Request } from 'express';
import { requireActor } from '../../http/auth.ts';
import { parseInput } from '../../features/errors.ts';
import { params } from '../../features/validation.ts';
import { summaryListBody } from '../../features/documents/schemas.ts';
import type { SummaryListService } from '../../features/documents/summaryListService.ts';

/**
 * The body is optional: none at all (no content type) is an empty one. A body that came as something
 * other than JSON stays unparsed (undefined) and is refused, not taken for an empty one.
 */
const optionalBody = (req: Request): unknown => (req.body === undefined && req.headers['content-type'] === undefined ? {} : req.body);

/** 汇总表, mounted at /programs: POST /:programId/summary-lists/:track {district?} → 201 {fileId, sha256, generated}. */
export function summaryListRoutes(summaryLists: SummaryListService): Router {
  const router = Router();
  router.post('/:programId/summary-lists/:track', async (req, res) => {
    const actor = requireActor(res);
    const { programId, track } = params(req, 'programId', 'track');
    const { district } = parseInput(summaryListBody, optionalBody(req));
    res.status(201).json(await summaryLists.print(actor, programId, track, district));
  });
  return router;
}
