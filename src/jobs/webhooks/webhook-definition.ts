import type { ChangeEvent, ChangeKind } from '../../events/index.ts';

/** A webhook as app code (or `/// @@webhook(...)` on a model) declares it. */
export interface WebhookDefinition {
  /** The model whose changes are sent, e.g. `Post`. */
  model: string;
  /** The receiver's URL, or `{ env: 'NAME' }` to read it from the environment at boot. */
  url: string | { env: string };
  /**
   * Standard Webhooks secret(s) (`whsec_…`), or `{ env: 'NAME' }`. Several, separated by spaces,
   * sign every message with each (rotation: add the new one, switch the receiver, drop the old).
   */
  secret: string | { env: string };
  /** @default ["create", "update", "delete"] */
  operations?: readonly ('create' | 'update' | 'delete')[];
  /** Sends only changes it returns true for; runs inside the write's transaction, so keep it pure. */
  filter?: (change: ChangeEvent) => boolean;
  /** A delivery attempt that takes longer fails. @default 10000 */
  timeoutMs?: number;
  /** Attempts after the first before the delivery is dead. @default 8 */
  retries?: number;
  /** First retry delay; doubles per attempt, capped at one hour. @default 5000 */
  retryDelayMs?: number;
}

export interface ResolvedWebhook {
  name: string;
  model: string;
  url: string;
  secrets: readonly string[];
  kinds: ReadonlySet<ChangeKind>;
  filter: (change: ChangeEvent) => boolean;
  timeoutMs: number;
  retries: number;
  retryDelayMs: number;
}

const kindOf = { create: 'created', update: 'updated', delete: 'deleted' } as const;

export function resolveWebhook(name: string, definition: WebhookDefinition, env: Record<string, string | undefined>, models: readonly string[]): ResolvedWebhook {
  const where = `Webhook "${name}"`;
  if (!/^[A-Za-z][\w-]{0,63}$/.test(name)) throw new Error(`${where}: names are letters, digits, "_" or "-", starting with a letter`);
  if (!models.includes(definition.model)) throw new Error(`${where}: model "${definition.model}" is not in the schema (models: ${models.join(', ')})`);
  const read = (value: string | { env: string } | undefined, what: string) => {
    const text = typeof value === 'object' && value !== null ? env[value.env] : value;
    if (!text) throw new Error(`${where}: ${what} is missing${typeof value === 'object' && value ? ` (set ${value.env})` : ''}`);
    return text;
  };
  const url = read(definition.url, 'url');
  if (!/^https?:\/\//.test(url)) throw new Error(`${where}: url must be http(s), got "${url}"`);
  const secrets = read(definition.secret, 'secret').split(/[\s,]+/).filter(Boolean);
  for (const secret of secrets) {
    if (!/^whsec_[A-Za-z0-9+/=]{16,}$/.test(secret)) throw new Error(`${where}: a secret must be "whsec_" followed by base64 (at least 16 characters)`);
  }
  const operations = definition.operations ?? ['create', 'update', 'delete'];
  for (const op of operations) if (!(op in kindOf)) throw new Error(`${where}: unknown operation "${op}" (create, update, delete)`);
  return {
    name,
    model: definition.model,
    url,
    secrets,
    kinds: new Set(operations.map((op) => kindOf[op])),
    filter: definition.filter ?? (() => true),
    timeoutMs: definition.timeoutMs ?? 10_000,
    retries: definition.retries ?? 8,
    retryDelayMs: definition.retryDelayMs ?? 5000,
  };
}
