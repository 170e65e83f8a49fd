import type { FieldNullability, InputFieldMap, SchemaTypes, TypeParam } from '@pothos/core';
import type { Plugin } from 'graphql-yoga';
import type { AccessClient } from '../access/index.ts';
import type { Mailer } from '../auth/index.ts';
import type { JobDefinition, JobRun, Jobs, ScheduleDefinition, WebhookDefinition } from '../jobs/index.ts';
import type { NotificationTypeDefinition, Notify } from '../notify/index.ts';
import type { Builder, Context, Kit, Viewer } from '../schema/index.ts';
import type { AuthRule } from './field-auth.ts';
import type { ModelHooks } from './model-hooks.ts';

declare global {
  export namespace PothosSchemaTypes {
    // Same type parameters as Pothos' own declaration (required for the merge).
    interface FieldOptions<Types extends SchemaTypes = SchemaTypes, ParentShape = unknown, Type extends TypeParam<Types> = TypeParam<Types>, Nullable extends FieldNullability<Type> = FieldNullability<Type>, Args extends InputFieldMap = InputFieldMap, ResolveShape = unknown, ResolveReturnShape = unknown> {
      /**
       * Who may call this field (checked before its resolver): `'signedIn'`, a role name, a list of
       * roles (any of them), or `(ctx) => boolean`. Without it the field is public.
       */
      auth?: AuthRule;
    }
  }
}

/** What trusted code outside a request (jobs, schedules, hooks) works with. */
export interface ServerContext {
  /** The raw client (no viewer, rules off): the job is the trusted party. */
  db: AccessClient;
  jobs: Jobs;
  /** Sends e-mail the way auth does: SMTP when `SMTP_URL` is set, else the outbox (`app.auth.outbox`, logged in development). */
  mail: Mailer;
  /** Sends a notification through the job queue (`notify.within(tx)` inside a transaction). */
  notify: Notify;
}

/** A job handler in app code: the run and the server context. */
export type AppJobHandler<P = any> = (run: JobRun<P>, ctx: ServerContext) => Promise<unknown> | unknown;
export type AppJob<P = any> = AppJobHandler<P> | (Omit<JobDefinition<P>, 'handler'> & { handler: AppJobHandler<P> });
export type AppSchedule = ScheduleDefinition & Omit<JobDefinition, 'handler'> & { handler: AppJobHandler<{ tick: string }> };

/** What a route handler receives besides the request (its body unread: `await request.text()` is the raw body). */
export interface RouteContext {
  /** The viewer's policy client (rules enforced), as in a resolver. */
  db: AccessClient;
  viewer: Viewer | null;
  jobs: Jobs;
  notify: Notify;
  request: Request;
}

export interface Route {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** An exact path, e.g. `/functions/stripe`. */
  path: string;
  handler: (request: Request, ctx: RouteContext) => Promise<Response> | Response;
}

/** Tools the `schema` callback gets besides the Pothos builder. */
export interface SchemaTools {
  kit: Kit;
}

/**
 * The app's own code (the default export of `functions/index.ts`, or `AppOptions.functions`):
 * everything Cairn runs beside the generated API. Every entry is optional.
 */
export interface CairnFunctions {
  /**
   * Custom queries, mutations, subscriptions and types, with the same Pothos builder the CRUD API
   * uses (model types by name: `t.prismaField({ type: 'Post', … })`); `auth:` on any field.
   */
  schema?: (builder: Builder, tools: SchemaTools) => void;
  /** Job handlers by name, for `ctx.jobs.enqueue(name, …)`. */
  jobs?: Record<string, AppJob>;
  /** Cron schedules by name; each tick runs `handler` once across all instances. */
  schedules?: Record<string, AppSchedule>;
  /** Plain HTTP routes (webhook receivers, callbacks). */
  routes?: Route[];
  /** graphql-yoga / envelop plugins, after Cairn's own. */
  plugins?: Plugin<any>[];
  /** Model hooks by model name: `before*` in the write's transaction, `after*` after commit (through the job queue). */
  hooks?: Record<string, ModelHooks>;
  /** Durable webhooks by name (besides `/// @@webhook(...)` on models). */
  webhooks?: Record<string, WebhookDefinition>;
  /** Notification types by name (`ctx.notify({ type })`): default channels, critical. Undeclared types get the defaults. */
  notifications?: Record<string, NotificationTypeDefinition>;
}

/** Identity, for types: `export default defineFunctions({ … })`. */
export const defineFunctions = <T extends CairnFunctions>(functions: T): T => functions;
