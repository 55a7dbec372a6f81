import { Router } from 'express';
import { requireActor } from '../auth/middleware.ts';
import { completeTaskBody } from '../cases/schemas.ts';
import { parseInput } from '../errors.ts';
import type { TaskService } from './taskService.ts';

export function taskRoutes(tasks: TaskService): Router {
  const router = Router();
  router.get('/', async (_req, res) => {
    res.json({ tasks: await tasks.inbox(requireActor(res)) });
  });
  router.get('/:id', async (req, res) => {
    res.json(await tasks.getTask(requireActor(res), req.params.id));
  });
  router.post('/:id/complete', async (req, res) => {
    const actor = requireActor(res);
    const body = parseInput(completeTaskBody, req.body);
    res.json(await tasks.completeTask(actor, req.params.id, body));
  });
  return router;
}
