import { Router } from 'express';
import { requireActor } from '../../http/auth.ts';
import { parseInput } from '../../features/errors.ts';
import { params } from '../../features/validation.ts';
import { taskDraftBody, type TaskDrafts } from '../../features/tasks/taskDrafts.ts';

/** A task's draft (the acceptance materials and score sheet so far): for whoever may complete the task. */
export function taskDraftRoutes(drafts: TaskDrafts): Router {
  const router = Router();
  router.get('/:taskId/draft', async (req, res) => {
    const actor = requireActor(res);
    res.json({ draft: await drafts.read(actor, params(req, 'taskId').taskId) });
  });
  router.put('/:taskId/draft', async (req, res) => {
    const actor = requireActor(res);
    const { taskId } = params(req, 'taskId');
    // who may act comes before what they sent is looked at
    await drafts.requireDraftable(actor, taskId);
    res.json({ draft: await drafts.save(actor, taskId, parseInput(taskDraftBody, req.body)) });
  });
  return router;
}
