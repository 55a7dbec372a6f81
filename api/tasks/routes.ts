import { Router } from 'express';
import { requireActor } from '../../http/auth.ts';
import { completeTaskBody } from '../../features/cases/schemas.ts';
import { parseInput } from '../../features/errors.ts';
import { params } from '../../features/validation.ts';
import type { TaskService } from '../../features/tasks/taskService.ts';
import type { InboxService } from '../../features/tasks/inboxService.ts';
import { bulkBody, inboxApiQuery, savedFilterBody, savedFilterId } from '../../features/tasks/inboxSchemas.ts';

/** Without a limit the API answers the whole inbox (up to this many), as it did before it had pages. */
const API_DEFAULT_LIMIT = 500;

export function taskRoutes(tasks: TaskService, inbox: InboxService): Router {
  const router = Router();
  router.get('/', async (req, res) => {
    const { limit = API_DEFAULT_LIMIT, ...filter } = parseInput(inboxApiQuery, req.query);
    const page = await inbox.list(requireActor(res), filter, { limit });
    // the cursors continue the list: ?after=<nextCursor> (or ?before=<previousCursor>) with the same filter
    res.json({ tasks: page.rows, counts: page.counts, total: page.total, page: filter.page, pages: page.pages, nextCursor: page.next, previousCursor: page.previous });
  });
  // ---- saved filters and bulk actions: before /:taskId, which would read their names as task ids ----
  router.get('/filters', async (_req, res) => {
    res.json({ filters: await inbox.savedFilters(requireActor(res)) });
  });
  router.post('/filters', async (req, res) => {
    const actor = requireActor(res);
    const { name, filter } = parseInput(savedFilterBody, req.body);
    res.status(201).json(await inbox.saveFilter(actor, name, { ...filter, page: 1 }));
  });
  router.delete('/filters/:filterId', async (req, res) => {
    const actor = requireActor(res);
    await inbox.deleteFilter(actor, parseInput(savedFilterId, req.params.filterId, 'filterId'));
    res.status(204).end();
  });
  router.post('/bulk', async (req, res) => {
    const actor = requireActor(res);
    inbox.requireBulkActor(actor);
    res.json({ results: await inbox.bulk(actor, parseInput(bulkBody, req.body)) });
  });
  router.get('/:taskId', async (req, res) => {
    const actor = requireActor(res);
    res.json(await tasks.getTask(actor, params(req, 'taskId').taskId));
  });
  router.post('/:taskId/claim', async (req, res) => {
    const actor = requireActor(res);
    res.json(await inbox.claim(actor, params(req, 'taskId').taskId));
  });
  router.post('/:taskId/release', async (req, res) => {
    const actor = requireActor(res);
    res.json(await inbox.release(actor, params(req, 'taskId').taskId));
  });
  router.post('/:taskId/complete', async (req, res) => {
    const actor = requireActor(res);
    const { taskId } = params(req, 'taskId');
    await tasks.requireCompletable(actor, taskId);
    const body = parseInput(completeTaskBody, req.body);
    res.json(await tasks.completeTask(actor, taskId, body));
  });
  return router;
}
