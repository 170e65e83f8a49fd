import type { DbClient, Model } from '../../db/index.ts';
import { forbidden } from '../../errors.ts';
import type { AccessContext } from './access-context.ts';
import { runInSavepoint, runInTransaction } from './change-capture.ts';
import { PolicyDelegate } from './create-policy-delegate.ts';
import type { ModelInfo } from './model-info.ts';
import { trustedRules, type Viewer } from '../rules/index.ts';

/**
 * `ctx.db`: a Prisma client whose every model method enforces the viewer's access rules.
 * `sudo()` is the client without rules for trusted code (inside `$transaction`, on the same
 * transaction). With write observers configured its writes still produce change events (the
 * same write path, every rule passing); its raw SQL, and its own `sudo()` (the raw Prisma
 * client), are not captured. Without observers `sudo()` is the raw client.
 */
export interface AccessClient extends DbClient {
  /** The client without rules, for trusted server code (seeding, auth, webhooks). Never pass it user input unchecked. */
  sudo(): DbClient;
  /** The viewer the rules are enforced for (null: anonymous). */
  readonly viewer: Viewer | null;
}

const rawMethods = ['$queryRaw', '$queryRawUnsafe', '$executeRaw', '$executeRawUnsafe', '$queryRawTyped', '$runCommandRaw'];

const trustedDb = Symbol('trustedDb');

/** What every policy client has; each datamodel gets a subclass with one getter per model delegate. */
class PolicyClient {
  #delegates = new Map<Model, PolicyDelegate>();
  readonly #ctx: AccessContext;
  constructor(ctx: AccessContext) {
    this.#ctx = ctx;
  }

  get viewer(): Viewer | null {
    return this.#ctx.rules.viewer;
  }
  sudo(): DbClient {
    const ctx = this.#ctx;
    if (ctx.trusted || !ctx.capture.active) return ctx.db;
    return createPolicyClient({ ...ctx, rules: trustedRules(ctx.rules.resolved), trusted: true });
  }
  $connect() {
    return this.#ctx.db.$connect();
  }
  $disconnect() {
    return this.#ctx.db.$disconnect();
  }
  /** The raw client, when this is trusted code's client. */
  [trustedDb](): DbClient | undefined {
    return this.#ctx.trusted ? this.#ctx.db : undefined;
  }
  $on(...args: unknown[]) {
    if (this.#ctx.trusted) return (this.#ctx.db.$on as (...a: unknown[]) => unknown)(...args);
    throw new Error('Subscribe to query events on the raw client (ctx.db.sudo())');
  }
  $transaction(fn: unknown, options?: unknown) {
    if (typeof fn !== 'function') throw new Error('ctx.db.$transaction takes a callback: $transaction(async (tx) => …)');
    const ctx = this.#ctx;
    // Nested in an open transaction: a savepoint, so a failure the outer block catches undoes this block only.
    if (ctx.inTransaction) return runInSavepoint(ctx, async () => fn(this), { block: true });
    // Every write inside records into the transaction's one change log, published after COMMIT.
    return runInTransaction(ctx, (tx) => fn(createPolicyClient(tx)), options);
  }
  delegate(model: Model): PolicyDelegate {
    let delegate = this.#delegates.get(model);
    if (!delegate) this.#delegates.set(model, (delegate = new PolicyDelegate(this.#ctx, model)));
    return delegate;
  }
}
for (const method of rawMethods) {
  Object.defineProperty(PolicyClient.prototype, method, {
    value(this: PolicyClient, ...args: unknown[]) {
      // Trusted code's raw SQL goes straight to the database (and produces no change events).
      const raw = this[trustedDb]();
      if (!raw) throw forbidden('Raw SQL bypasses access rules; use ctx.db.sudo() in trusted code');
      return (raw as unknown as Record<string, (...a: unknown[]) => unknown>)[method]!(...args);
    },
  });
}

/** One PolicyClient subclass per datamodel, made once: a getter per delegate (`post`, `user`, …). */
const clientClasses = new WeakMap<ModelInfo, new (ctx: AccessContext) => PolicyClient>();
function clientClassFor(info: ModelInfo) {
  let ClientClass = clientClasses.get(info);
  if (ClientClass) return ClientClass;
  ClientClass = class extends PolicyClient {};
  for (const model of info.datamodel.models) {
    Object.defineProperty(ClientClass.prototype, info.delegate(model), {
      get(this: PolicyClient) {
        return this.delegate(model);
      },
    });
  }
  clientClasses.set(info, ClientClass);
  return ClientClass;
}

export function createPolicyClient(ctx: AccessContext): AccessClient {
  return new (clientClassFor(ctx.info))(ctx) as unknown as AccessClient;
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
