import type { Extension } from '../../domain/case/model.ts';
import type { TrackId } from '../../domain/program/types.ts';
import { mail } from '../runtime/activities.ts';

export interface ExtensionNotice {
  /** the case the extension lets in (its business key: it does not exist yet) */
  caseId: string;
  uscc: string;
  extension: Extension;
  previousDueAt: string | null;
  before: { programId: string; track: TrackId };
}

/**
 * The mail of an extension granted before its case exists (the application deadline): the case
 * workflow that would send it is not running yet. Its id `extension-notice-<extension id>` starts it
 * once per extension; the mail is keyed like the running case's (once per recipient).
 */
export async function extensionNotice(notice: ExtensionNotice): Promise<{ recipients: number; bounced: string[] }> {
  return mail.notifyExtension(notice);
}
