import { Router, type RequestHandler } from 'express';
import { z } from 'zod';
import { parseInput } from '../../features/errors.ts';
import type { AuthService } from '../../features/auth/authService.ts';
import { SESSION_COOKIE, requireActor, sessionToken } from '../../http/auth.ts';

const loginBody = z.object({ email: z.email(), password: z.string().min(1) });

/** loginThrottle: the per-account and per-address limits, shared with the login page. */
export function authRoutes(auth: AuthService, cookieSecure: boolean, loginThrottle: RequestHandler[]): Router {
  const router = Router();
  router.post('/login', ...loginThrottle, async (req, res) => {
    const body = parseInput(loginBody, req.body);
    const session = await auth.login(body.email, body.password);
    res.cookie(SESSION_COOKIE, session.token, { httpOnly: true, sameSite: 'lax', secure: cookieSecure, expires: session.expiresAt });
    res.json({ actor: session.actor, token: session.token, expiresAt: session.expiresAt });
  });
  router.post('/logout', async (req, res) => {
    const token = sessionToken(req);
    if (token) await auth.logout(token);
    res.clearCookie(SESSION_COOKIE);
    res.status(204).end();
  });
  router.get('/me', (_req, res) => {
    res.json({ actor: requireActor(res) });
  });
  return router;
}
