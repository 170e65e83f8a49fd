import { createServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOutbox } from './mailer.ts';
import { createSmtpMailer } from './smtp-mailer.ts';

/** Just enough SMTP (RFC 5321, no TLS, no auth) on 127.0.0.1 to receive what nodemailer sends. */
function startSmtpSink() {
  const received: { from: string; to: string[]; data: string }[] = [];
  const server = createServer((socket: Socket) => {
    let mail = { from: '', to: [] as string[], data: '' };
    let inData = false;
    let buffer = '';
    const reply = (line: string) => socket.write(`${line}\r\n`);
    reply('220 sink ESMTP');
    socket.on('data', (chunk) => {
      buffer += chunk.toString();
      let at: number;
      while ((at = buffer.indexOf('\r\n')) >= 0) {
        const line = buffer.slice(0, at);
        buffer = buffer.slice(at + 2);
        if (inData) {
          if (line === '.') {
            inData = false;
            received.push(mail);
            mail = { from: '', to: [], data: '' };
            reply('250 queued');
          } else mail.data += `${line}\n`;
          continue;
        }
        const verb = line.slice(0, 4).toUpperCase();
        if (verb === 'EHLO' || verb === 'HELO') reply('250 sink');
        else if (verb === 'MAIL') (mail.from = line), reply('250 ok');
        else if (verb === 'RCPT') mail.to.push(line), reply('250 ok');
        else if (verb === 'DATA') (inData = true), reply('354 go on');
        else if (verb === 'QUIT') reply('221 bye'), socket.end();
        else reply('250 ok');
      }
    });
  });
  return { server, received };
}

describe('mailers', () => {
  const sink = startSmtpSink();
  beforeAll(() => new Promise<void>((resolve) => sink.server.listen(0, '127.0.0.1', resolve)));
  afterAll(() => new Promise<void>((resolve) => sink.server.close(() => resolve())));

  it('the SMTP mailer delivers through SMTP_URL with MAIL_FROM', async () => {
    const { port } = sink.server.address() as AddressInfo;
    const mailer = createSmtpMailer({ url: `smtp://127.0.0.1:${port}`, from: 'Cairn <no-reply@example.com>' });
    await mailer.send({ to: 'ada@example.org', subject: 'Reset your password', text: 'Open http://cairn.test/reset-password?token=abc' });
    mailer.close();
    expect(sink.received).toHaveLength(1);
    expect(sink.received[0]!.from).toContain('no-reply@example.com');
    expect(sink.received[0]!.to.join()).toContain('ada@example.org');
    expect(sink.received[0]!.data).toContain('Subject: Reset your password');
  });

  it('the outbox keeps messages (newest last, bounded) and logs them', async () => {
    const lines: string[] = [];
    const outbox = createOutbox({ log: (line) => lines.push(line), limit: 2 });
    for (const to of ['a@x.org', 'b@x.org', 'c@x.org']) await outbox.send({ to, subject: 'Hi', text: 'text' });
    expect(outbox.messages.map((m) => m.to)).toEqual(['b@x.org', 'c@x.org']);
    expect(outbox.last()?.to).toBe('c@x.org');
    expect(outbox.last('b@x.org')?.to).toBe('b@x.org');
    expect(lines[0]).toContain('[outbox] to a@x.org: Hi');
    outbox.clear();
    expect(outbox.messages).toEqual([]);
  });
});
