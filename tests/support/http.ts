/**
 * A GET sent again once when the connection it reused was reset: the server (in this same process)
 * may close an idle keep-alive socket a moment before the client reuses it when the event loop lags
 * on a busy machine; HTTP clients retry idempotent requests in that case, as browsers do.
 */
export async function idempotentFetch(url: string, init: RequestInit = {}): Promise<Response> {
  try {
    return await fetch(url, init);
  } catch (error) {
    const code = (error as { cause?: { code?: string } }).cause?.code;
    if (code !== 'ECONNRESET' && code !== 'UND_ERR_SOCKET') throw error;
    return fetch(url, init);
  }
}

/** A logged-in API caller: real HTTP against the running system. */
export interface ApiResponse<T = any> {
  status: number;
  body: T;
}

export class ApiClient {
  private readonly baseUrl: string;
  private token: string | null = null;

  constructor(baseUrl: string) {
    this.baseUrl = baseUrl;
  }

  /** The session this client signed in with (the pages take it as their cookie). */
  get sessionToken(): string | null {
    return this.token;
  }

  static async login(baseUrl: string, email: string, password: string): Promise<ApiClient> {
    const client = new ApiClient(baseUrl);
    const response = await client.post('/api/auth/login', { email, password });
    if (response.status !== 200) throw new Error(`login ${email} failed: ${response.status} ${JSON.stringify(response.body)}`);
    client.token = response.body.token;
    return client;
  }

  async request<T = any>(method: string, path: string, body?: unknown): Promise<ApiResponse<T>> {
    const response = await (method === 'GET' ? idempotentFetch : fetch)(`${this.baseUrl}${path}`, {
      method,
      headers: {
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(this.token ? { authorization: `Bearer ${this.token}` } : {}),
      },
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : null };
  }

  /** A download as the user: status, type and bytes. */
  async download(path: string): Promise<{ status: number; type: string | null; bytes: Buffer }> {
    const response = await idempotentFetch(`${this.baseUrl}${path}`, { headers: this.token ? { authorization: `Bearer ${this.token}` } : {} });
    return { status: response.status, type: response.headers.get('content-type'), bytes: Buffer.from(await response.arrayBuffer()) };
  }

  /** multipart upload in field "file", as a browser form sends it */
  async upload(path: string, name: string, content: Buffer, mime = 'application/pdf'): Promise<ApiResponse> {
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(content)], { type: mime }), name);
    const response = await fetch(`${this.baseUrl}${path}`, { method: 'POST', body: form, headers: this.token ? { authorization: `Bearer ${this.token}` } : {} });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : null };
  }

  put<T = any>(path: string, body?: unknown) {
    return this.request<T>('PUT', path, body);
  }

  get<T = any>(path: string) {
    return this.request<T>('GET', path);
  }
  post<T = any>(path: string, body?: unknown) {
    return this.request<T>('POST', path, body);
  }
}
