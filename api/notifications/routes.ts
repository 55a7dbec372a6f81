import { Router } from 'express';
import { requireActor } from '../../http/auth.ts';
import { params } from '../../features/validation.ts';
import type { NotificationService } from '../../features/notifications/notificationService.ts';

export function notificationRoutes(notifications: NotificationService): Router {
  const router = Router();
  /** 200 with the mail's new state; 202 when its one attempt is still under way */
  router.post('/:notificationKey/resend', async (req, res) => {
    const actor = requireActor(res);
    const { notificationKey } = params(req, 'notificationKey');
    const mail = await notifications.resend(actor, notificationKey);
    res.status(mail.settled ? 200 : 202).json(mail);
  });
  return router;
}
