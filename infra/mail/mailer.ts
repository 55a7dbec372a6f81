import nodemailer from 'nodemailer';

export interface OutgoingMail {
  to: string;
  subject: string;
  html: string;
  text: string;
  /** deterministic per idempotency key, so a duplicate could at least be recognised by the receiver */
  messageId: string;
}

export interface Mailer {
  send(mail: OutgoingMail): Promise<{ response: string; messageId: string }>;
  verify(): Promise<void>;
  close(): void;
}

/** nodemailer over SMTP with a connection pool; the URL carries host, port, TLS and credentials. */
export function createMailer(smtpUrl: string, from: string): Mailer {
  const transport = nodemailer.createTransport({ url: smtpUrl, pool: true, maxConnections: 3 } as never);
  return {
    async send(mail) {
      const info = await transport.sendMail({ from, ...mail });
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
