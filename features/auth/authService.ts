import { hash, verify } from '@node-rs/argon2';
import { createHash, randomBytes } from 'node:crypto';
import type { Actor, Role } from '../../domain/identity/roles.ts';
import { SessionRecord, UserRecord } from '../../infra/db/entities.ts';
import type { Orm } from '../../infra/db/orm.ts';
import { AppError } from '../errors.ts';

const tokenHash = (token: string) => createHash('sha256').update(token).digest('hex');

export function hashPassword(password: string): Promise<string> {
  return hash(password);
}

export function actorOf(user: UserRecord): Actor {
  return { userId: user.id, name: user.name, role: user.role as Role, scopeId: user.scopeId ?? null };
}

/** Logins and server-side sessions: the cookie holds a random token, the database its hash. */
export function createAuthService(orm: Orm, sessionTtlHours: number) {
  return {
    async login(email: string, password: string): Promise<{ token: string; actor: Actor; expiresAt: Date }> {
      const em = orm.em.fork();
      const user = await em.findOne(UserRecord, { email: email.trim().toLowerCase() });
      // verify against something even for unknown users, so timing does not reveal who exists
      const valid = await verify(user?.passwordHash ?? (await dummyHash()), password).catch(() => false);
      if (!user || !valid) throw new AppError('unauthenticated', '电子邮箱或密码不正确 (e-mail or password is wrong)');
      // said plainly only to whoever knows the password: a guesser learns nothing about the account
      if (!user.active) throw new AppError('unauthenticated', '此账号已停用，请联系系统管理员 (this login has been deactivated: ask your administrator)');
      const token = randomBytes(32).toString('base64url');
      const now = new Date();
      const expiresAt = new Date(now.getTime() + sessionTtlHours * 3_600_000);
      em.create(SessionRecord, { tokenHash: tokenHash(token), userId: user.id, createdAt: now, expiresAt });
      await em.flush();
      return { token, actor: actorOf(user), expiresAt };
    },

    async actorForToken(token: string): Promise<Actor | null> {
      const em = orm.em.fork();
      const session = await em.findOne(SessionRecord, { tokenHash: tokenHash(token), expiresAt: { $gt: new Date() } });
      if (!session) return null;
      const user = await em.findOne(UserRecord, { id: session.userId, active: true });
      return user ? actorOf(user) : null;
    },

    async logout(token: string): Promise<void> {
      await orm.em.fork().nativeDelete(SessionRecord, { tokenHash: tokenHash(token) });
    },
  };
}

export type AuthService = ReturnType<typeof createAuthService>;

// a real hash of a secret nobody knows, so an unknown e-mail costs as much time as a wrong password
let dummy: Promise<string> | undefined;
const dummyHash = () => (dummy ??= hash(randomBytes(16).toString('hex')));
