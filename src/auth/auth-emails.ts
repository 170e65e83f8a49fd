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
  confirmEmailChange: (to: string, link: string, hours: number): MailMessage => ({
    to,
    subject: 'Confirm your new e-mail address',
    text: `Someone asked to make ${to} the address of their account. To confirm that it is yours, open:\n${link}\n\nThe link works once, for ${hours} hours. Until then the account keeps its old address. If it was not you, ignore this e-mail.\n`,
  }),
  emailChangeRequested: (to: string, newEmail: string, hours: number): MailMessage => ({
    to,
    subject: 'Your e-mail address is about to change',
    text: `Someone signed in to your account asked to change its address from ${to} to ${newEmail}. The change happens only when the link sent to ${newEmail} is opened (within ${hours} hours).\n\nIf it was not you, reset your password now: that cancels the change and signs everyone out.\n`,
  }),
  emailChanged: (to: string, newEmail: string): MailMessage => ({
    to,
    subject: 'Your e-mail address was changed',
    text: `The address of your account is now ${newEmail}; ${to} no longer signs in to it.\n\nIf it was not you, contact the site's support at once.\n`,
  }),
};
