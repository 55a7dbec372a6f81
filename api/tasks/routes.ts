import { Router } from 'express';
import { requireActor } from '../../http/auth.ts';
import { completeTaskBody } from '../../features/cases/schemas.ts';
import { parseInput } from '../../features/errors.ts';
import { params } from '../../features/validation.ts';
import type { TaskService } from '../../features/tasks/taskService.ts';

export function taskRoutes(tasks: TaskService): Router {
  const router = Router();
  router.get('/', async (_req, res) => {
    res.json({ tasks: await tasks.inbox(requireActor(res)) });
  });
  router.get('/:taskId', async (req, res) => {
    const actor = requireActor(res);
    res.json(await tasks.getTask(actor, params(req, 'taskId').taskId));
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
