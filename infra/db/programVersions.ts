import type { ProgramDefinition } from '../../domain/program/types.ts';
import { ProgramRecord } from './entities.ts';
import type { Orm } from './orm.ts';

/**
 * A program's stored versions, each read once per process: a version never changes (an edit is a
 * new version), so the case views, the applications and the mails need not parse its JSON again.
 * Null for a version that does not exist (not kept: it may be published later).
 */
export function programVersionCache(orm: Orm): (id: string, version: number) => Promise<ProgramDefinition | null> {
  const versions = new Map<string, Promise<ProgramDefinition | null>>();
  return (id, version) => {
    const key = `${id}@${version}`;
    let found = versions.get(key);
    if (!found) {
      found = orm.em.fork().findOne(ProgramRecord, { id, version }).then((row) => row?.definition ?? null);
      versions.set(key, found);
      // neither a failed read nor a version not (yet) published is kept
      found.then((definition) => definition ?? versions.delete(key), () => versions.delete(key));
    }
    return found;
  };
}
