import { createHash, randomBytes } from 'node:crypto';
import { labelsFor } from '../../domain/i18n/labels.ts';
import type { Role } from '../../domain/identity/roles.ts';
import { formatLocal } from '../../domain/program/calendar.ts';
import { NotificationRecord, SetPasswordTokenRecord, UserRecord } from '../../infra/db/entities.ts';
import type { Orm } from '../../infra/db/orm.ts';
import type { Mailer } from '../../infra/mail/mailer.ts';
import { deliverOnce, recordQueued, type Notification } from './deliver.ts';
import { isMailLocale, type RenderMail } from './templates.ts';

interface Deps {
  orm: Orm;
  mailer: Mailer;
  publicUrl: string;
  render: RenderMail;
}

const OFFICE_TIME_ZONE = 'Asia/Shanghai';

/**
 * The mail with a set-password link. The token is made here, once: its hash goes on the link's row
 * and the mail into the delivery log in one transaction, so a retried attempt sends the mail it
 * first rendered (deliverOnce: once) and never a second token. Nothing else keeps the token: the
 * workflow's history holds only the link's id.
 */
export function createSetPasswordMailActivities({ orm, mailer, publicUrl, render }: Deps) {
  return {
    async sendSetPasswordLink({ tokenId }: { tokenId: string }): Promise<{ sent: boolean }> {
      const em = orm.em.fork();
      const key = `set-password:${tokenId}`;
      if (!(await em.findOne(NotificationRecord, { key }))) {
        const link = await em.findOne(SetPasswordTokenRecord, { id: tokenId });
        // a newer link, a deactivation or the time ran out before the worker came to it: no mail
        if (!link || link.usedAt || link.revokedAt || link.expiresAt.getTime() <= Date.now()) return { sent: false };
        const user = await em.findOneOrFail(UserRecord, { id: link.userId });
        const locale = isMailLocale(user.locale) ? user.locale : 'zh-CN';
        const role = labelsFor(locale).role(user.role as Role) ?? user.role;
        const token = randomBytes(32).toString('base64url');
        const mail = render(
          'set-password',
          {
            recipientName: user.name,
            email: user.email,
            roleLabel: link.scopeLabel ? `${role} · ${link.scopeLabel}` : role,
            invitedBy: link.createdByName,
            setPasswordUrl: `${publicUrl}/set-password/${token}`,
            expiresLocal: formatLocal(link.expiresAt, OFFICE_TIME_ZONE, locale),
          },
          locale,
        );
        await em.transactional(async (tx) => {
          const claimed = await tx.nativeUpdate(SetPasswordTokenRecord, { id: tokenId, tokenHash: null }, { tokenHash: createHash('sha256').update(token).digest('hex') });
          if (claimed === 1) await recordQueued(tx, { key, caseId: null, taskId: null, to: user.email, template: 'set-password', mail });
        });
      }
      const stored = await em.findOneOrFail(NotificationRecord, { key }, { refresh: true });
      const notification: Notification = {
        key,
        caseId: null,
        taskId: null,
        to: stored.recipient,
        template: stored.template,
        mail: { subject: stored.subject, html: stored.bodyHtml ?? '', text: stored.bodyText ?? '' },
      };
      const result = await deliverOnce(em, mailer, notification);
      return { sent: result === 'sent' || result === 'already-sent' };
    },
  };
}
