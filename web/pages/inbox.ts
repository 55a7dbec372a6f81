import type { Express } from 'express';
import type { Locale } from '../../domain/i18n/labels.ts';
import { translate } from '../i18n/i18n.ts';
import type { PageKit } from '../pageKit.ts';

/** 我的待办: the tasks the actor may work on. */
export function inboxPages(web: Express, kit: PageKit): void {
  const { services, render, signedIn, actorOf } = kit;
  web.get('/tasks', signedIn, async (req, res) => {
    render(res, 'tasks', { title: translate(res.locals.locale as Locale, 'inbox.title'), tasks: await services.tasks.inbox(actorOf(req)) });
  });
}
