import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import jsqr from 'jsqr';
import { PNG } from 'pngjs';

// jsqr is CommonJS with an `exports.default`: Node's ESM import sees the module object, a transpiler the function
const jsQR = ((jsqr as unknown as { default?: unknown }).default ?? jsqr) as (data: Uint8ClampedArray, width: number, height: number) => { data: string } | null;

/** Where the suite keeps the first page of each document it generated, for a person to look at. */
export const ARTEFACTS_DIR = new URL('../../.cache/test/artefacts/', import.meta.url).pathname;

const run = promisify(execFile);

/**
 * A PDF read back as poppler reads it: its text (layout kept, and flat), its page count, its first
 * page as PNG. Asynchronous: the system under test serves from this same process, and a blocked event
 * loop would let its keep-alive timers close sockets the client is about to reuse.
 */
export async function readPdf(bytes: Buffer, artefactName: string, alsoKeep: number[] = []): Promise<{ text: string; flat: string; pages: number; firstPage: Buffer }> {
  const dir = mkdtempSync(join(tmpdir(), 'credcase-pdf-'));
  try {
    const file = join(dir, 'document.pdf');
    writeFileSync(file, bytes);
    const { stdout: text } = await run('pdftotext', ['-layout', '-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });
    const { stdout: info } = await run('pdfinfo', [file], { encoding: 'utf8' });
    const pages = Number(/^Pages:\s+(\d+)/m.exec(info)?.[1] ?? 0);
    await run('pdftoppm', ['-png', '-r', '150', '-f', '1', '-l', '1', '-singlefile', file, join(dir, 'page')]);
    const firstPage = readFileSync(join(dir, 'page.png'));
    mkdirSync(ARTEFACTS_DIR, { recursive: true });
    writeFileSync(join(ARTEFACTS_DIR, `${artefactName}.png`), firstPage);
    // further pages worth a look (a package's contents, a page placed on A4), kept as <name>-p<n>.png
    for (const n of alsoKeep) {
      await run('pdftoppm', ['-png', '-r', '100', '-f', String(n), '-l', String(n), '-singlefile', file, join(dir, `page-${n}`)]);
      writeFileSync(join(ARTEFACTS_DIR, `${artefactName}-p${n}.png`), readFileSync(join(dir, `page-${n}.png`)));
    }
    // Chinese wraps anywhere: `flat` is the text without its line breaks and layout spaces
    return { text, flat: text.replace(/\s+/g, ''), pages, firstPage };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The QR code on a page image, decoded; null when there is none. */
export function decodeQr(png: Buffer): string | null {
  const image = PNG.sync.read(png);
  return jsQR(new Uint8ClampedArray(image.data.buffer, image.data.byteOffset, image.data.length), image.width, image.height)?.data ?? null;
}
