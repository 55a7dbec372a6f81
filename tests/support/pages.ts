/**
 * A browser without a browser, for tests that walk many pages: it keeps cookies, reads the CSRF
 * token of a page's form and sends forms as a same-site page would (Origin of this site).
 */
export class PageClient {
  private readonly baseUrl: string;
  private readonly cookies = new Map<string, string>();

  constructor(baseUrl: string) {
    this.baseUrl = baseUrl;
  }

  /** Signed in with an API session token: the same session the page cookie carries. */
  static withSession(baseUrl: string, sessionToken: string | null): PageClient {
    const client = new PageClient(baseUrl);
    if (sessionToken) client.cookies.set('credcase_session', sessionToken);
    return client;
  }

  private cookieHeader(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  private keep(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const index = pair!.indexOf('=');
      this.cookies.set(pair!.slice(0, index).trim(), pair!.slice(index + 1).trim());
    }
  }

  async get(path: string): Promise<{ status: number; location: string | null; html: string }> {
    const response = await fetch(`${this.baseUrl}${path}`, { headers: { cookie: this.cookieHeader() }, redirect: 'manual' });
    this.keep(response);
    return { status: response.status, location: response.headers.get('location'), html: await response.text() };
  }

  /** The CSRF token a form of this page carries (the login page for anyone, /me when signed in). */
  async csrfToken(): Promise<string> {
    for (const page of ['/me', '/login']) {
      const { html } = await this.get(page);
      const token = html.match(/name="_csrf" value="([^"]+)"/)?.[1];
      if (token) return token;
    }
    return '';
  }

  /** Posts a form as the site's own page would: with its token and this site's Origin. */
  async post(path: string, form: Record<string, string> = {}): Promise<{ status: number; location: string | null; html: string }> {
    const body = new URLSearchParams({ _csrf: await this.csrfToken(), ...form });
    const response = await fetch(`${this.baseUrl}${path}`, {
      method: 'POST',
      headers: { cookie: this.cookieHeader(), origin: this.baseUrl, 'content-type': 'application/x-www-form-urlencoded' },
      body: body.toString(),
      redirect: 'manual',
    });
    this.keep(response);
    return { status: response.status, location: response.headers.get('location'), html: await response.text() };
  }
}
