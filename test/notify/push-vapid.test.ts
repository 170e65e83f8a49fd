import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import webpush from 'web-push';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/run-cli.ts';
import type { Io } from '../../src/cli/create-io.ts';

const capture = () => {
  const lines: string[] = [];
  const io: Io = { out: (line = '') => void lines.push(line), err: (line = '') => void lines.push(line), interactive: false, ask: async () => '' };
  return { io, lines };
};

describe('cairn push:vapid', () => {
  const cwd = mkdtempSync(join(tmpdir(), 'cairn-vapid-'));
  afterAll(() => rmSync(cwd, { recursive: true, force: true }));

  it('prints a usable key pair as env lines, a new one each run', async () => {
    const first = capture();
    expect(await runCli(['push:vapid'], { io: first.io, cwd, env: {} })).toBe(0);
    const publicKey = /^CAIRN_VAPID_PUBLIC_KEY=(\S+)$/.exec(first.lines[0]!)?.[1];
    const privateKey = /^CAIRN_VAPID_PRIVATE_KEY=(\S+)$/.exec(first.lines[1]!)?.[1];
    expect(Buffer.from(publicKey!, 'base64url')).toHaveLength(65);
    expect(Buffer.from(privateKey!, 'base64url')).toHaveLength(32);
    // web-push signs with the pair, i.e. the two halves belong together and are well-formed.
    expect(() => webpush.getVapidHeaders('https://push.example', 'mailto:a@b.c', publicKey!, privateKey!, 'aes128gcm')).not.toThrow();

    const second = capture();
    await runCli(['push:vapid', '--json'], { io: second.io, cwd, env: {} });
    const json = JSON.parse(second.lines[0]!) as { publicKey: string; privateKey: string };
    expect(json.publicKey).not.toBe(publicKey);
  });
});
