import PostalMime from 'postal-mime';
import { SMTPServer } from 'smtp-server';

export interface CaughtMail {
  id: number;
  receivedAt: Date;
  envelopeFrom: string;
  envelopeTo: string[];
  messageId: string | undefined;
  subject: string;
  text: string;
  html: string;
}

export interface MailCatcherOptions {
  host?: string;
  /** 0 picks a free port */
  port?: number;
  /** recipients the server refuses with 550, as a real server refuses a mailbox that does not exist */
  rejectRecipients?: (address: string) => boolean;
}

/**
 * A real SMTP server that keeps what it receives: the embedded default's outbox for people to
 * read (/dev/mail), and the SMTP peer of the test suite.
 */
export class MailCatcher {
  readonly messages: CaughtMail[] = [];
  private server: SMTPServer;
  private listeners = new Set<() => void>();
  private nextId = 1;
  port = 0;
  host: string;

  private readonly options: MailCatcherOptions;

  constructor(options: MailCatcherOptions = {}) {
    this.options = options;
    this.host = options.host ?? '127.0.0.1';
    this.server = new SMTPServer({
      authOptional: true,
      // stop() must not wait for pooled client connections to go idle
      closeTimeout: 200,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onRcptTo: (address, _session, callback) => {
        if (this.options.rejectRecipients?.(address.address)) {
          const error = new Error(`5.1.1 <${address.address}>: mailbox does not exist`) as Error & { responseCode: number };
          error.responseCode = 550;
          return callback(error);
        }
        callback();
      },
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          PostalMime.parse(Buffer.concat(chunks))
            .then((parsed) => {
              this.messages.push({
                id: this.nextId++,
                receivedAt: new Date(),
                envelopeFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
                envelopeTo: session.envelope.rcptTo.map((r) => r.address),
                messageId: parsed.messageId,
                subject: parsed.subject ?? '',
                text: parsed.text ?? '',
                html: parsed.html ?? '',
              });
              for (const listener of this.listeners) listener();
              callback();
            })
            .catch((error: Error) => callback(error));
        });
      },
    });
  }

  get url(): string {
    return `smtp://${this.host}:${this.port}`;
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.options.port ?? 0, this.host, () => resolve());
    });
    const address = this.server.server.address();
    this.port = typeof address === 'object' && address ? address.port : 0;
    return this;
  }

  /** Mail sent to one address, oldest first. */
  to(address: string): CaughtMail[] {
    return this.messages.filter((m) => m.envelopeTo.includes(address));
  }

  /** Resolves once `count` messages satisfy the predicate, or rejects after the timeout. */
  waitFor(predicate: (m: CaughtMail) => boolean, count = 1, timeoutMs = 60_000): Promise<CaughtMail[]> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const found = this.messages.filter(predicate);
        if (found.length >= count) {
          this.listeners.delete(check);
          clearTimeout(timer);
          resolve(found);
        }
      };
      const timer = setTimeout(() => {
        this.listeners.delete(check);
        reject(new Error(`waited ${timeoutMs} ms for ${count} matching mail(s); have ${this.messages.filter(predicate).length}`));
      }, timeoutMs);
      this.listeners.add(check);
      check();
    });
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
