import { createHash, randomUUID } from 'node:crypto';

/** The uploader of what the system itself generates. */
export const SYSTEM_USER_ID = '00000000-0000-0000-0000-000000000000';

export const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');

/** A PDF the system printed, as a file row: uploaded by the system, checksummed. */
export function generatedPdf(name: string, content: Buffer, ownerUscc: string | null) {
  return { id: randomUUID(), ownerUscc, uploadedBy: SYSTEM_USER_ID, name, mime: 'application/pdf', size: content.length, sha256: sha256(content), content, createdAt: new Date() };
}
