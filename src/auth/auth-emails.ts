import type { MailMessage } from './mailer.ts';

/** The e-mails auth sends. Plain text with the link on its own line, so every client shows it. */
export const authEmails = {
  passwordReset: (to: string, link: string, minutes: number): MailMessage => ({
    to,
    subject: 'Reset your password',
    text: `Someone asked to reset the password for ${to}.\n\nTo choose a new password, open:\n${link}\n\nThe link works once, for ${minutes} minutes. If it was not you, ignore this e-mail; your password stays as it is.\n`,
  }),
  verifyEmail: (to: string, link: string, hours: number): MailMessage => ({
    to,
    subject: 'Confirm your e-mail address',
    text: `Confirm that ${to} is your address by opening:\n${link}\n\nThe link works once, for ${hours} hours.\n`,
  }),
};
