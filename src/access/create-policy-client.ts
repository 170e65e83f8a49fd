import type { DbClient } from '../db/index.ts';
import { forbidden } from '../errors.ts';
import type { AccessContext } from './access-context.ts';
import { createPolicyDelegate, type InTransaction } from './create-policy-delegate.ts';
import type { Viewer } from './viewer.ts';

/**
 * `ctx.db`: a Prisma client whose every model method enforces the viewer's access rules.
 * `sudo()` returns the raw client (inside `$transaction`, the raw transaction) for trusted code.
 */
export interface AccessClient extends DbClient {
  /** The client without rules, for trusted server code (seeding, auth, webhooks). Never pass it user input unchecked. */
  sudo(): DbClient;
  /** The viewer the rules are enforced for (null: anonymous). */
  readonly viewer: Viewer | null;
}

const rawMethods = ['$queryRaw', '$queryRawUnsafe', '$executeRaw', '$executeRawUnsafe', '$queryRawTyped', '$runCommandRaw'];

export function createPolicyClient(ctx: AccessContext): AccessClient {
  const delegates = new Map<string, unknown>();
  const inTransaction: InTransaction = (fn) =>
    ctx.inTransaction ? fn(ctx) : ctx.db.$transaction((tx) => fn({ ...ctx, db: tx, inTransaction: true }));
  const refuseRaw = () => {
    throw forbidden('Raw SQL bypasses access rules; use ctx.db.sudo() in trusted code');
  };
  const base: Record<string, unknown> = {
    viewer: ctx.rules.viewer,
    sudo: () => ctx.db,
    $connect: () => ctx.db.$connect(),
    $disconnect: () => ctx.db.$disconnect(),
    $on: () => {
      throw new Error('Subscribe to query events on the raw client (ctx.db.sudo())');
    },
    $transaction(fn: unknown, options?: unknown) {
      if (typeof fn !== 'function') throw new Error('ctx.db.$transaction takes a callback: $transaction(async (tx) => …)');
      if (ctx.inTransaction) return fn(client);
      return (ctx.db.$transaction as (f: unknown, o?: unknown) => Promise<unknown>)(
        (tx: DbClient) => fn(createPolicyClient({ ...ctx, db: tx, inTransaction: true })),
        options,
      );
    },
    ...Object.fromEntries(rawMethods.map((m) => [m, refuseRaw])),
  };
  const client = new Proxy(base, {
    get(target, prop) {
      if (typeof prop !== 'string' || prop in target) return target[prop as string];
      if (!delegates.has(prop)) {
        const model = ctx.info.datamodel.models.find((m) => ctx.info.delegate(m) === prop);
        delegates.set(prop, model && createPolicyDelegate(ctx, model, inTransaction));
      }
      return delegates.get(prop);
    },
  }) as unknown as AccessClient;
  return client;
}

/** The raw client dressed as an `AccessClient` (rules off): for generator tests and trusted tools only. */
export function trustedClient(db: DbClient, viewer: Viewer | null = null): AccessClient {
  return new Proxy(db, {
    get(target, prop) {
      if (prop === 'sudo') return () => db;
      if (prop === 'viewer') return viewer;
      const value = Reflect.get(target, prop, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  }) as AccessClient;
}
