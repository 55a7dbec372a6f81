import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

/**
 * An SMTP server that takes every mail and keeps only its Message-ID: the same peer for our path
 * and for the raw part, cheap enough not to be what is measured. Counts say what arrived once,
 * twice, or not at all.
 */
export class SmtpSink {
  readonly ids = new Map<string, number>();
  received = 0;
  private readonly server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData: (stream, _session, callback) => {
      let head = '';
      stream.on('data', (chunk: Buffer) => {
        if (head.length < 4096) head += chunk.toString('latin1');
      });
      stream.on('end', () => {
        const id = /^message-id:\s*(\S+)/im.exec(head)?.[1] ?? `(none ${this.received})`;
        this.ids.set(id, (this.ids.get(id) ?? 0) + 1);
        this.received += 1;
        callback();
      });
    },
  });
  url = '';

  async start(): Promise<this> {
    // a client that goes away mid-connection (a worker process killed at the end of a run) is no fault of the sink's
    this.server.on('error', () => {});
    this.server.listen(0, '127.0.0.1');
    await once(this.server.server, 'listening');
    this.url = `smtp://127.0.0.1:${(this.server.server.address() as AddressInfo).port}`;
    return this;
  }

  /** Mails that arrived more than once. */
  get duplicates(): number {
    return [...this.ids.values()].filter((n) => n > 1).reduce((sum, n) => sum + n - 1, 0);
  }

  reset(): void {
    this.ids.clear();
    this.received = 0;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
