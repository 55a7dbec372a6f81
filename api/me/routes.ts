import { Router } from 'express';
import { z } from 'zod';
import { requireActor } from '../../http/auth.ts';
import { parseInput } from '../../features/errors.ts';
import { preferencesBody } from '../../features/me/schemas.ts';
import type { MeService } from '../../features/me/meService.ts';

const feedToken = z.string().regex(/^[A-Za-z0-9_-]{16,128}$/, '应为日历订阅令牌 (must be a calendar feed token)');

export function meRoutes(me: MeService): Router {
  const router = Router();
  router.get('/preferences', async (_req, res) => {
    res.json(await me.preferences(requireActor(res)));
  });
  router.put('/preferences', async (req, res) => {
    const actor = requireActor(res);
    res.json(await me.updatePreferences(actor, parseInput(preferencesBody, req.body)));
  });
  router.post('/calendar-token', async (_req, res) => {
    res.status(201).json(await me.issueCalendarToken(requireActor(res)));
  });
  router.delete('/calendar-token', async (_req, res) => {
    await me.revokeCalendarToken(requireActor(res));
    res.status(204).end();
  });
  return router;
}

/** The private feed itself: the token in the URL is the credential, as calendar apps need. */
export function calendarFeedRoutes(me: MeService): Router {
  const router = Router();
  router.get('/:token.ics', async (req, res) => {
    const token = parseInput(feedToken, req.params.token, 'token');
    res.type('text/calendar; charset=utf-8').send(await me.calendar(token));
  });
  return router;
}

