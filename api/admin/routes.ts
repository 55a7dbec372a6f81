import { Router, type Request, type Response } from 'express';
import { requireActor } from '../../http/auth.ts';
import { parseInput } from '../../features/errors.ts';
import { params } from '../../features/validation.ts';
import type { AdminService } from '../../features/admin/adminService.ts';
import { auditQuery, calendarBody, inviteBody, quotasBody, userIdParam, userListQuery, userUpdateBody } from '../../features/admin/schemas.ts';

/** /api/admin: users and their set-password links, program revisions, the audit log. Admins only. */
export function adminRoutes(admin: AdminService): Router {
  const router = Router();
  router.use((_req, res, next) => {
    requireActor(res, 'admin');
    next();
  });
  const actorOf = (res: Response) => requireActor(res, 'admin');
  const userIdOf = (req: Request) => parseInput(userIdParam, req.params.userId, 'userId');

  router.get('/users', async (req, res) => {
    res.json(await admin.users.list(actorOf(res), parseInput(userListQuery, req.query, 'query')));
  });
  router.post('/users', async (req, res) => {
    res.status(201).json(await admin.users.invite(actorOf(res), parseInput(inviteBody, req.body)));
  });
  router.get('/users/:userId', async (req, res) => {
    res.json(await admin.users.get(actorOf(res), userIdOf(req)));
  });
  router.patch('/users/:userId', async (req, res) => {
    const userId = userIdOf(req);
    res.json(await admin.users.update(actorOf(res), userId, parseInput(userUpdateBody, req.body)));
  });
  router.post('/users/:userId/deactivate', async (req, res) => {
    res.json(await admin.users.deactivate(actorOf(res), userIdOf(req)));
  });
  router.post('/users/:userId/activate', async (req, res) => {
    res.json(await admin.users.activate(actorOf(res), userIdOf(req)));
  });
  router.post('/users/:userId/set-password-link', async (req, res) => {
    res.json(await admin.users.sendLink(actorOf(res), userIdOf(req)));
  });

  router.get('/programs/:programId/versions', async (req, res) => {
    res.json(await admin.programs.view(actorOf(res), params(req, 'programId').programId));
  });
  router.put('/programs/:programId/calendar', async (req, res) => {
    const { programId } = params(req, 'programId');
    res.json(await admin.programs.reviseCalendar(actorOf(res), programId, parseInput(calendarBody, req.body)));
  });
  router.put('/programs/:programId/quotas', async (req, res) => {
    const { programId } = params(req, 'programId');
    res.json(await admin.programs.reviseQuotas(actorOf(res), programId, parseInput(quotasBody, req.body)));
  });

  router.get('/audit', async (req, res) => {
    res.json(await admin.audit.search(actorOf(res), parseInput(auditQuery, req.query, 'query')));
  });
  return router;
}
