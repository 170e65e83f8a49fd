import nodemailer from 'nodemailer';
import type { Mailer } from './mailer.ts';

export interface SmtpMailerOptions {
  /** `smtp://user:pass@host:587` or `smtps://…:465`. */
  url: string;
  /** The From header, e.g. `Cairn <no-reply@example.com>`. */
  from: string;
}

/** Sends through an SMTP server (nodemailer); the connection is opened per message by nodemailer. */
export function createSmtpMailer({ url, from }: SmtpMailerOptions): Mailer & { close(): void } {
  const transport = nodemailer.createTransport(url);
  return {
    async send(message) {
      await transport.sendMail({ from, ...message });
    },
    close: () => transport.close(),
  };
}
