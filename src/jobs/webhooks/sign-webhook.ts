import { Webhook } from 'standardwebhooks';

/**
 * Standard Webhooks headers for one message: one `v1,<sig>` per secret, space-separated, so a
 * receiver holding either the old or the new secret verifies it during a rotation.
 */
export function signWebhook(secrets: readonly string[], messageId: string, timestamp: Date, body: string): Record<string, string> {
  const signature = secrets.map((secret) => new Webhook(secret).sign(messageId, timestamp, body)).join(' ');
  return {
    'content-type': 'application/json',
    'webhook-id': messageId,
    'webhook-timestamp': String(Math.floor(timestamp.getTime() / 1000)),
    'webhook-signature': signature,
  };
}
