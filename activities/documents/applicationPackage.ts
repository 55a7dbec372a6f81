import { PDFDocument, PageSizes, StandardFonts, rgb, type PDFPage } from '@pdfme/pdf-lib';

/** A file the case holds for a package item, as stored. */
export interface PackageFile {
  name: string;
  mime: string;
  content: Uint8Array;
}

/** One item of the package (③ 合同 …) with its files in the item's order; generated items have none. */
export interface PackageSection {
  /** ①, ②, ③ … as the work plan numbers the list */
  number: string;
  title: string;
  generated: boolean;
  files: PackageFile[];
}

/** A line of the table of contents: the item and the page it starts on. */
export interface ContentsEntry {
  number: string;
  title: string;
  /** the files bound under it, by name (empty for generated items) */
  note: string;
  page: number;
}

/** What the binder needs printed (Chromium, from the package templates): pages without page numbers. */
export interface PackagePrinter {
  cover(): Promise<Uint8Array>;
  contents(entries: ContentsEntry[]): Promise<Uint8Array>;
  /** a page standing in for a file that cannot be bound (an office document, a damaged PDF) */
  notice(section: PackageSection, message: string): Promise<Uint8Array>;
}

export interface PackageProgress {
  done: number;
  total: number;
  step: string;
}

export interface BoundPackage {
  pdf: Buffer;
  pages: number;
  contents: ContentsEntry[];
}

const [A4_WIDTH, A4_HEIGHT] = PageSizes.A4;
/** 15 mm: what a page placed on A4 keeps clear of the paper's edge (and of the page number). */
const PLACEMENT_MARGIN = (15 / 25.4) * 72;
const isA4 = (page: PDFPage) => {
  const { width, height } = page.getSize();
  return Math.abs(width - A4_WIDTH) < 2 && Math.abs(height - A4_HEIGHT) < 2;
};

/** Scales a width × height box to fit A4 inside its margins, centred. */
function fitted(width: number, height: number) {
  const scale = Math.min((A4_WIDTH - 2 * PLACEMENT_MARGIN) / width, (A4_HEIGHT - 2 * PLACEMENT_MARGIN) / height);
  return { x: (A4_WIDTH - width * scale) / 2, y: (A4_HEIGHT - height * scale) / 2, width: width * scale, height: height * scale };
}

const fileNames = (files: PackageFile[]) => files.map((f) => f.name).join('、');

/**
 * 申报材料 as the work plan lists it: the cover, the table of contents, then every item in order,
 * merged into one A4 PDF with page numbers on every page after the cover; the contents name the page
 * each item starts on. PDFs are bound page by page (A4 pages as they are, other sizes scaled onto A4,
 * text kept as text); JPEG and PNG scans are placed on A4; what cannot be bound (an office document,
 * a damaged or encrypted PDF) is stood in for by a page saying so, so one bad file never stops a package.
 */
export async function bindPackage(sections: PackageSection[], printer: PackagePrinter, onProgress: (progress: PackageProgress) => Promise<void>): Promise<BoundPackage> {
  // the cover, each item bound, the contents, the binding
  const total = sections.filter((s) => !s.generated).length + 3;
  let done = 0;
  const body = await PDFDocument.create();
  const sectionPages = new Map<PackageSection, number>();

  const appendPrinted = async (bytes: Uint8Array) => {
    const printed = await PDFDocument.load(bytes);
    for (const page of await body.copyPages(printed, printed.getPageIndices())) body.addPage(page);
  };
  const appendFile = async (section: PackageSection, file: PackageFile) => {
    try {
      if (file.mime === 'application/pdf') {
        const source = await PDFDocument.load(file.content, { throwOnInvalidObject: true, updateMetadata: false });
        for (const index of source.getPageIndices()) {
          const page = source.getPage(index);
          if (isA4(page)) {
            const [copied] = await body.copyPages(source, [index]);
            body.addPage(copied);
          } else {
            const embedded = await body.embedPage(page);
            body.addPage(PageSizes.A4).drawPage(embedded, fitted(embedded.width, embedded.height));
          }
        }
        return;
      }
      if (file.mime === 'image/jpeg' || file.mime === 'image/png') {
        const image = file.mime === 'image/jpeg' ? await body.embedJpg(file.content) : await body.embedPng(file.content);
        body.addPage(PageSizes.A4).drawImage(image, fitted(image.width, image.height));
        return;
      }
      await appendPrinted(await printer.notice(section, `《${file.name}》不是 PDF 或 JPEG/PNG 图片，无法并入本文件。请将其打印后附于此页之后。`));
    } catch {
      await appendPrinted(await printer.notice(section, `《${file.name}》无法读取（文件损坏或已加密），未能并入本文件。请将其打印后附于此页之后，或重新上传。`));
    }
  };

  // the cover and the contents come first in the package but the contents need the items' pages: bind the items first
  const cover = await PDFDocument.load(await printer.cover());
  await onProgress({ done: ++done, total, step: sections[0]?.title ?? '封面' });
  for (const section of sections) {
    if (section.generated) continue;
    const before = body.getPageCount();
    if (!section.files.length) await appendPrinted(await printer.notice(section, '本项材料尚未提交。'));
    for (const file of section.files) await appendFile(section, file);
    sectionPages.set(section, body.getPageCount() - before);
    await onProgress({ done: ++done, total, step: section.title });
  }

  // the contents' own length moves every page after it: print until the page numbers it names stand
  let contentsPages = 1;
  let contents: { entries: ContentsEntry[]; pdf: PDFDocument };
  for (;;) {
    const entries = contentsEntries(sections, sectionPages, cover.getPageCount(), contentsPages);
    const pdf = await PDFDocument.load(await printer.contents(entries));
    contents = { entries, pdf };
    if (pdf.getPageCount() === contentsPages) break;
    contentsPages = pdf.getPageCount();
  }
  await onProgress({ done: ++done, total, step: sections[1]?.title ?? '目录' });

  const bound = await PDFDocument.create();
  for (const part of [cover, contents.pdf, body]) {
    for (const page of await bound.copyPages(part, part.getPageIndices())) bound.addPage(page);
  }
  const font = await bound.embedFont(StandardFonts.Helvetica);
  bound.getPages().forEach((page, index) => {
    if (index < cover.getPageCount()) return;
    const label = `- ${index + 1} -`;
    const size = 10;
    page.drawText(label, { x: page.getWidth() / 2 - font.widthOfTextAtSize(label, size) / 2, y: 8 * (72 / 25.4), size, font, color: rgb(0.2, 0.2, 0.2) });
  });
  bound.setTitle(sections.map((s) => s.title).join(' / ').slice(0, 200), { showInWindowTitleBar: false });
  bound.setProducer('credcase');
  bound.setCreator('credcase');
  const pdf = Buffer.from(await bound.save());
  await onProgress({ done: done + 1, total, step: '装订完成' });
  return { pdf, pages: bound.getPageCount(), contents: contents.entries };
}

/**
 * The contents' lines: the cover is page 1, the contents follow it, each item starts after the one
 * before. An item bound from no pages (never so in a complete package) points at the next page.
 */
export function contentsEntries(sections: PackageSection[], sectionPages: ReadonlyMap<PackageSection, number>, coverPages: number, contentsPages: number): ContentsEntry[] {
  let next = coverPages + contentsPages + 1;
  let generatedSeen = 0;
  return sections.map((section) => {
    if (section.generated) {
      // the first generated item is the cover, the second the contents (the work plan's ① and ②)
      const page = generatedSeen++ === 0 ? 1 : coverPages + 1;
      return { number: section.number, title: section.title, note: '', page };
    }
    const page = next;
    next += sectionPages.get(section) ?? 0;
    return { number: section.number, title: section.title, note: fileNames(section.files), page };
  });
}
