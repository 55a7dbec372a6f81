/** Where a page may send the user after login: a path of this site, never another host. */
const BASE = new URL('http://credcase.invalid');

/**
 * `next` as a same-origin path, else the fallback. The WHATWG parser reads it as a browser would
 * (`/\evil` is `//evil`, a host); anything holding a backslash, an encoded one, whitespace or a control or format
 * character is refused outright rather than normalised.
 */
export function sameOriginPath(next: unknown, fallback = '/tasks'): string {
  if (typeof next !== 'string' || !next.startsWith('/')) return fallback;
  if (/[\\\s\p{C}]|%5c/iu.test(next)) return fallback;
  let url: URL;
  try {
    url = new URL(next, BASE);
  } catch {
    return fallback;
  }
  const path = `${url.pathname}${url.search}${url.hash}`;
  // `/.//evil` normalises to `//evil`, which a browser reads as another host
  if (url.origin !== BASE.origin || path.startsWith('//')) return fallback;
  return path;
}
