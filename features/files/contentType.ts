import { readFile } from 'node:fs/promises';
import { fileTypeFromFile } from 'file-type';

/**
 * What may be handed in as a document: PDF, scans and photos, office documents. Told from the content
 * (file-type), never from the name or the type the client claims.
 */
export const DOCUMENT_TYPES: ReadonlySet<string> = new Set([
  'application/pdf',
  'image/jpeg',
  'image/png',
  'image/apng',
  'image/gif',
  'image/webp',
  'image/tiff',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  'application/vnd.oasis.opendocument.text',
  'application/vnd.oasis.opendocument.spreadsheet',
  'application/msword',
  'application/vnd.ms-excel',
  'application/vnd.ms-powerpoint',
]);

export const DOCUMENT_TYPES_RULE = '仅限 PDF、JPEG/PNG/GIF/WebP/TIFF 图片和 Word/Excel/PowerPoint/OpenDocument 文档，按文件内容判断 (PDF, an image or an office document, told from the content)';

/** The document type of a file from its content, or null when it is not one we accept. */
export async function documentTypeOf(path: string): Promise<string | null> {
  const sniffed = await fileTypeFromFile(path);
  if (!sniffed) return null;
  // doc, xls and ppt are OLE compound files, like .msi and .msg: only their streams tell them apart
  if (sniffed.mime === 'application/x-cfb') return legacyOfficeType(await readFile(path));
  return DOCUMENT_TYPES.has(sniffed.mime) ? sniffed.mime : null;
}

/** The main stream each legacy office format keeps at the root of its compound file. */
const LEGACY_OFFICE_STREAMS: Record<string, string> = {
  WordDocument: 'application/msword',
  Workbook: 'application/vnd.ms-excel',
  Book: 'application/vnd.ms-excel',
  'PowerPoint Document': 'application/vnd.ms-powerpoint',
};

/** doc, xls or ppt by the root streams of an OLE compound file (MS-CFB); null for anything else. */
export function legacyOfficeType(content: Buffer): string | null {
  for (const name of compoundFileRootStreams(content)) {
    const mime = LEGACY_OFFICE_STREAMS[name];
    if (mime) return mime;
  }
  return null;
}

const MAX_REGULAR_SECTOR = 0xfffffffa;
const NO_STREAM = 0xffffffff;

/**
 * The names of the streams directly under the root storage of a compound file ([MS-CFB] 2.2, 2.6):
 * follow the FAT chain of the directory, then the root's child tree. Malformed input yields [].
 */
export function compoundFileRootStreams(content: Buffer): string[] {
  if (content.length < 512) return [];
  const shift = content.readUInt16LE(0x1e);
  if (shift !== 9 && shift !== 12) return [];
  const size = 1 << shift;
  const sectorCount = Math.floor(content.length / size);
  const sector = (n: number) => (n < MAX_REGULAR_SECTOR && (n + 2) * size <= content.length ? content.subarray((n + 1) * size, (n + 2) * size) : null);

  // FAT sectors: 109 listed in the header, the rest in the DIFAT chain
  const fatSectors: number[] = [];
  for (let i = 0; i < 109; i++) fatSectors.push(content.readUInt32LE(0x4c + i * 4));
  for (let n = content.readUInt32LE(0x44), hops = 0; hops < sectorCount; hops++) {
    const difat = sector(n);
    if (!difat) break;
    for (let i = 0; i < size / 4 - 1; i++) fatSectors.push(difat.readUInt32LE(i * 4));
    n = difat.readUInt32LE(size - 4);
  }
  const perSector = size / 4;
  const nextSector = (n: number) => sector(fatSectors[Math.floor(n / perSector)] ?? NO_STREAM)?.readUInt32LE((n % perSector) * 4) ?? NO_STREAM;

  const entries: { name: string; type: number; left: number; right: number; child: number }[] = [];
  for (let n = content.readUInt32LE(0x30), hops = 0; hops < sectorCount; hops++) {
    const directory = sector(n);
    if (!directory) break;
    for (let at = 0; at + 128 <= size; at += 128) {
      const nameBytes = directory.readUInt16LE(at + 0x40);
      entries.push({
        name: nameBytes >= 2 && nameBytes <= 64 ? directory.toString('utf16le', at, at + nameBytes - 2) : '',
        type: directory[at + 0x42]!,
        left: directory.readUInt32LE(at + 0x44),
        right: directory.readUInt32LE(at + 0x48),
        child: directory.readUInt32LE(at + 0x4c),
      });
    }
    n = nextSector(n);
  }
  if (entries[0]?.type !== 5) return [];

  const names: string[] = [];
  const seen = new Set<number>();
  const pending = [entries[0].child];
  while (pending.length) {
    const id = pending.pop()!;
    const entry = entries[id];
    if (!entry || seen.has(id)) continue;
    seen.add(id);
    if (entry.type === 2) names.push(entry.name);
    pending.push(entry.left, entry.right);
  }
  return names;
}
