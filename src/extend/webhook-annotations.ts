import type { Datamodel } from '../db/index.ts';
import type { WebhookDefinition } from '../jobs/index.ts';

/**
 * `/// @@webhook("name", url: env("POST_WEBHOOK_URL"), secret: env("POST_WEBHOOK_SECRET"), operations: "create,update")`
 * above a model: the same declaration as `webhooks` in app code (filters need app code).
 */
export function webhookAnnotations(datamodel: Datamodel): Record<string, WebhookDefinition> {
  const found: Record<string, WebhookDefinition> = {};
  for (const model of datamodel.models) {
    for (const line of (model.documentation ?? '').split('\n')) {
      const match = /^\s*@@webhook\((.*)\)\s*$/.exec(line);
      if (!match) continue;
      const where = `${model.name}: ${line.trim()}`;
      const name = /^\s*"([^"]+)"\s*(?:,|$)/.exec(match[1]!);
      if (!name) throw new Error(`${where}: the first argument is the webhook's name in quotes`);
      const rest = match[1]!.slice(name[0].length);
      const args: Record<string, string | { env: string }> = {};
      const argPattern = /\s*(\w+)\s*:\s*(?:env\("([^"]+)"\)|"([^"]*)")\s*(?:,|$)/y;
      let at = 0;
      while (at < rest.length) {
        argPattern.lastIndex = at;
        const arg = argPattern.exec(rest);
        if (!arg) throw new Error(`${where}: expected key: env("NAME") or key: "value" at "${rest.slice(at)}"`);
        args[arg[1]!] = arg[2] !== undefined ? { env: arg[2] } : arg[3]!;
        at = argPattern.lastIndex;
      }
      const unknown = Object.keys(args).filter((k) => !['url', 'secret', 'operations'].includes(k));
      if (unknown.length) throw new Error(`${where}: unknown argument ${unknown.join(', ')} (url, secret, operations)`);
      if (!args.url || !args.secret) throw new Error(`${where}: url and secret are required`);
      if (found[name[1]!]) throw new Error(`${where}: webhook "${name[1]}" is declared twice`);
      found[name[1]!] = {
        model: model.name,
        url: args.url,
        secret: args.secret,
        ...(typeof args.operations === 'string' && { operations: args.operations.split(',').map((s) => s.trim()) as WebhookDefinition['operations'] }),
      };
    }
  }
  return found;
}
