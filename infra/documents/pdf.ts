import { chromium, type Browser } from 'playwright-core';

/** A4 with print margins; the footer carries "page / pages" on every page. */
const PRINT = {
  format: 'A4',
  margin: { top: '20mm', bottom: '22mm', left: '20mm', right: '20mm' },
  displayHeaderFooter: true,
  headerTemplate: '<span></span>',
  footerTemplate: '<div style="width:100%;text-align:center;font-size:9px;color:#555"><span class="pageNumber"></span> / <span class="totalPages"></span></div>',
  printBackground: true,
} as const;

export interface PrintOptions {
  /** "page / pages" in the footer (default); off for pages a binder numbers itself */
  pageNumbers?: boolean;
  /** A4 turned sideways, for wide tables */
  landscape?: boolean;
}

export interface PdfRenderer {
  /** The HTML printed to a PDF: text stays text (selectable), fonts embedded as subsets. */
  render(html: string, options?: PrintOptions): Promise<Buffer>;
  close(): Promise<void>;
}

/**
 * Documents printed by headless Chromium from HTML (handlebars templates), the engine the tests
 * already run: it lays out Chinese text with the system's CJK font (Noto CJK) and embeds only the
 * glyphs used. One browser per process, started on first use, a fresh page per document.
 */
export function createPdfRenderer(chromiumPath: string): PdfRenderer {
  let browser: Promise<Browser> | null = null;
  const open = () => {
    browser ??= chromium.launch({ executablePath: chromiumPath, args: ['--no-sandbox', '--font-render-hinting=none'] }).catch((error: unknown) => {
      browser = null;
      throw error;
    });
    return browser;
  };
  return {
    async render(html, { pageNumbers = true, landscape = false } = {}) {
      const context = await (await open()).newContext();
      try {
        const page = await context.newPage();
        await page.setContent(html, { waitUntil: 'load' });
        return await page.pdf({ ...PRINT, displayHeaderFooter: pageNumbers, landscape, ...(pageNumbers ? {} : { margin: undefined, preferCSSPageSize: true }) });
      } finally {
        await context.close();
      }
    },
    async close() {
      if (browser) await (await browser).close().catch(() => undefined);
      browser = null;
    },
  };
}
