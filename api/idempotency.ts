import type { NextFunction, Request, Response } from 'express';
import { createHash } from 'node:crypto';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { IdempotencyRecord } from '../infra/db/entities.ts';
import type { Orm } from '../infra/db/orm.ts';
import { currentActor } from '../http/auth.ts';
import { AppError } from '../features/errors.ts';

const KEY_SHAPE = /^[A-Za-z0-9_.:-]{1,100}$/;
const KEPT_FOR_MS = 24 * 3_600_000;
const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * `Idempotency-Key` on every mutating request: the first answer is kept (per person and key) and
 * replayed for a repeat, so a client that retries after a lost answer gets the same file, record
 * or decision, never a second one. The same key with another request is refused; one still being
 * answered is a 409. A failure of ours (5xx) is not kept, so the retry really runs again.
 */
export function idempotency(orm: Orm) {
  let requestsSincePurge = 0;
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    const key = req.get('idempotency-key');
    if (key === undefined || !UNSAFE.has(req.method)) return next();
    if (!KEY_SHAPE.test(key)) {
      throw new AppError('bad_request', 'Idempotency-Key 应为 1–100 位字母、数字或 _.:- (must be 1–100 letters, digits or _.:-)', [{ path: 'Idempotency-Key', rule: '1–100 of A-Z a-z 0-9 _ . : -' }]);
    }
    // keys are per person: an anonymous request (a login) is never replayed to someone else
    const actor = currentActor(res);
    if (!actor) return next();
    const id = `${actor.userId}:${key}`;
    const fingerprint = createHash('sha256')
      .update(`${req.method} ${req.originalUrl}\n${req.is('application/json') ? JSON.stringify(req.body ?? null) : ''}`)
      .digest('hex');
    const em = orm.em.fork();
    if (++requestsSincePurge >= 100) {
      requestsSincePurge = 0;
      await em.nativeDelete(IdempotencyRecord, { createdAt: { $lt: new Date(Date.now() - KEPT_FOR_MS) } });
    }
    const first = await em
      .insert(IdempotencyRecord, { id, fingerprint, status: 'in_progress', responseStatus: null, responseBody: null, createdAt: new Date() })
      .then(() => true, (error: unknown) => {
        if (error instanceof UniqueConstraintViolationException) return false;
        throw error;
      });
    if (!first) {
      const record = await em.findOneOrFail(IdempotencyRecord, { id });
      if (record.fingerprint !== fingerprint) {
        throw new AppError('unprocessable', '同一 Idempotency-Key 已用于另一个请求 (this Idempotency-Key was used for a different request)', [{ path: 'Idempotency-Key', rule: 'a new key for a new request' }]);
      }
      if (record.status !== 'done') throw new AppError('conflict', '相同的请求正在处理中，请稍后再试 (the same request is still being answered)', [{ path: 'Idempotency-Key', rule: 'wait for the first answer' }]);
      res.setHeader('idempotent-replayed', 'true');
      res.status(record.responseStatus ?? 200);
      if (record.responseBody === null) res.end();
      else res.json(record.responseBody);
      return;
    }

    // the answer is kept (as the JSON sent: an entity would be stored as its key) before it is sent,
    // so a repeat that follows at once is already a replay
    const keep = (status: number, body: unknown) =>
      status >= 500
        ? orm.em.fork().nativeDelete(IdempotencyRecord, { id })
        : orm.em.fork().nativeUpdate(IdempotencyRecord, { id }, { status: 'done', responseStatus: status, responseBody: body === undefined || body === null ? null : (JSON.parse(JSON.stringify(body)) as object) });
    let kept = false;
    const json = res.json.bind(res);
    res.json = (value: unknown) => {
      kept = true;
      keep(res.statusCode, value).then(() => json(value), () => json(value));
      return res;
    };
    res.on('finish', () => {
      if (!kept) keep(res.statusCode, null).catch(() => undefined);
    });
    next();
  };

}
