import type { Request } from 'express';

/** Every cookie of a request by name (the first one wins, as browsers send the most specific first). */
export function readCookies(req: Request): Record<string, string> {
  const cookies = Object.create(null) as Record<string, string>;
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const at = part.indexOf('=');
    if (at < 0) continue;
    const name = part.slice(0, at).trim();
    if (!name || name in cookies) continue;
    const raw = part.slice(at + 1).trim().replace(/^"(.*)"$/, '$1');
    try {
      cookies[name] = decodeURIComponent(raw);
    } catch {
      cookies[name] = raw; // a malformed escape is kept as sent rather than failing the request
    }
  }
  return cookies;
}

export function readCookie(req: Request, name: string): string | undefined {
  return readCookies(req)[name];
}
