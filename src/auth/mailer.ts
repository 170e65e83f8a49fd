/** One e-mail Cairn sends (password reset, address verification). */
export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html?: string;
}

/** How e-mail leaves Cairn: SMTP when `SMTP_URL` is set, the outbox otherwise. */
export interface Mailer {
  send(message: MailMessage): Promise<void>;
}

/** A mailer that keeps what it "sends": development reads it in the log, tests read `messages`. */
export interface Outbox extends Mailer {
  readonly messages: readonly MailMessage[];
  /** The newest message to `to` (or to anyone). */
  last(to?: string): MailMessage | undefined;
  clear(): void;
}

export interface OutboxOptions {
  /** Where each message is reported (development: the console). @default no logging */
  log?: (line: string) => void;
  /** Messages kept; older ones are dropped so a long-running dev server stays small. @default 100 */
  limit?: number;
}

export function createOutbox({ log, limit = 100 }: OutboxOptions = {}): Outbox {
  const messages: MailMessage[] = [];
  return {
    messages,
    async send(message) {
      // Kept synchronously, before any await: a caller that does not wait still finds it here.
      messages.push({ ...message });
      if (messages.length > limit) messages.splice(0, messages.length - limit);
      log?.(`[outbox] to ${message.to}: ${message.subject}\n${message.text}`);
    },
    last: (to) => [...messages].reverse().find((m) => !to || m.to === to),
    clear: () => void messages.splice(0),
  };
}
