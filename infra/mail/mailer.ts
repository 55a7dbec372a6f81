import nodemailer from 'nodemailer';

export interface OutgoingMail {
  to: string;
  subject: string;
  html: string;
  text: string;
  /** deterministic per idempotency key, so a duplicate could at least be recognised by the receiver */
  messageId: string;
}

export interface SendOptions {
  /** gives up on the delivery (closing its connection) when aborted */
  signal?: AbortSignal;
}

export interface Mailer {
  send(mail: OutgoingMail, options?: SendOptions): Promise<{ response: string; messageId: string }>;
  verify(): Promise<void>;
  close(): void;
}

/**
 * How long SMTP may keep us waiting. All of them lie well below the mail activities' 10-second
 * start-to-close timeout (workflows/runtime/activities.ts): a server that accepts the connection and
 * then says nothing makes the attempt fail — and record that it failed — before Temporal gives up on
 * it and starts the next one. Otherwise the late attempt would finish after its successor.
 */
export interface SmtpTimeouts {
  /** TCP connect, and (nodemailer ≥ 10) the whole set-up up to the greeting */
  connectionMs: number;
  /** from connected to the server's 220 greeting */
  greetingMs: number;
  /** silence on an open connection, at any later step */
  socketMs: number;
}

export const DEFAULT_SMTP_TIMEOUTS: SmtpTimeouts = { connectionMs: 3_000, greetingMs: 3_000, socketMs: 6_000 };

/** nodemailer over SMTP with a connection pool; the URL carries host, port, TLS and credentials. */
export function createMailer(smtpUrl: string, from: string, timeouts: SmtpTimeouts = DEFAULT_SMTP_TIMEOUTS): Mailer {
  const transport = nodemailer.createTransport({
    url: smtpUrl,
    pool: true,
    maxConnections: 3,
    connectionTimeout: timeouts.connectionMs,
    greetingTimeout: timeouts.greetingMs,
    socketTimeout: timeouts.socketMs,
  } as never);
  return {
    async send(mail, options = {}) {
      // nodemailer 10 honours `signal` (the pool closes the connection of an aborted delivery); its types do not know it yet
      const info = await transport.sendMail({ from, ...mail, ...(options.signal ? { signal: options.signal } : {}) } as never);
      return { response: String(info.response), messageId: String(info.messageId) };
    },
    async verify() {
      await transport.verify();
    },
    close() {
      transport.close();
    },
  };
}
