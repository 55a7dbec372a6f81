import type { Response } from 'express';

/**
 * A stored HTML document (a mail's HTML part) shown inside the page's sandboxed frame: it may use
 * inline styles, as mail must, but run nothing, load nothing, and be framed only by this site.
 */
export function sandboxedHtml(res: Response, html: string): void {
  res.setHeader('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'self'; sandbox");
  res.setHeader('X-Frame-Options', 'SAMEORIGIN');
  res.type('html').send(html);
}
