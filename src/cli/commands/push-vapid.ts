import { defineCommand } from '../command.ts';

export const pushVapidCommand = defineCommand({
  path: ['push:vapid'],
  summary: 'Print a new VAPID key pair for Web Push',
  description:
    'Prints CAIRN_VAPID_PUBLIC_KEY and CAIRN_VAPID_PRIVATE_KEY lines for your .env. The public key is also the\n' +
    "browser's applicationServerKey. Keep the pair: subscriptions made with one public key only accept pushes\n" +
    'signed by its private key, so a new pair means every browser subscribes again.',
  options: {
    json: { type: 'boolean', description: 'Print {"publicKey","privateKey"} as JSON instead' },
  },
  async run({ io }, { options }) {
    const { generateVapidKeys, vapidEnv } = await import('../../notify/index.ts');
    const keys = generateVapidKeys();
    if (options.json) return io.out(JSON.stringify(keys));
    io.out(`${vapidEnv.publicKey}=${keys.publicKey}`);
    io.out(`${vapidEnv.privateKey}=${keys.privateKey}`);
    io.out(`# and a contact for push services: ${vapidEnv.subject}=mailto:you@example.com`);
  },
});
