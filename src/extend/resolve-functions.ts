import type { Plugin } from 'graphql-yoga';
import type { Datamodel } from '../db/index.ts';
import type { WriteObserver } from '../events/index.ts';
import { resolveWebhook, type JobDefinition, type Jobs, type ResolvedWebhook, type ScheduleDefinition } from '../jobs/index.ts';
import { afterHooksHandler, afterHooksJob, createHooksObserver, hasAfterHooks, validateHooks } from './model-hooks.ts';
import { webhookAnnotations } from './webhook-annotations.ts';
import type { Context, SchemaExtension } from '../schema/index.ts';
import type { AppJob, CairnFunctions, Route, ServerContext } from './functions.ts';
import { resolveRoutes } from './use-function-routes.ts';

/** App code normalised once at boot into what the composition root plugs in. */
export interface ResolvedFunctions {
  schema?: SchemaExtension;
  jobs: Record<string, JobDefinition>;
  schedules: Record<string, ScheduleDefinition & JobDefinition>;
  routes: Map<string, Route>;
  plugins: Plugin<any>[];
  /** The model hooks on the write path (none: undefined). */
  hooks?: WriteObserver;
  webhooks: ResolvedWebhook[];
}

export interface ResolveFunctionsOptions {
  datamodel: Datamodel;
  /** Where `{ env: 'NAME' }` values are read. */
  env: Record<string, string | undefined>;
  /** Boot warnings (a webhook whose URL or secret variable is unset is off). @default console.warn */
  warn?: (message: string) => void;
}

/** `server` is read when a job runs (the queue it needs is built after this). */
export function resolveFunctions(functions: CairnFunctions, server: () => ServerContext, options: ResolveFunctionsOptions): ResolvedFunctions {
  const models = options.datamodel.models.map((m) => m.name);
  const hooks = functions.hooks ?? {};
  validateHooks(hooks, models);
  const declared = { ...webhookAnnotations(options.datamodel) };
  for (const [name, definition] of Object.entries(functions.webhooks ?? {})) {
    if (declared[name]) throw new Error(`Webhook "${name}" is declared both in the schema and in app code`);
    declared[name] = definition;
  }
  const wrap = (name: string, job: AppJob): JobDefinition => {
    const definition = typeof job === 'function' ? { handler: job } : job;
    if (typeof definition?.handler !== 'function') throw new Error(`Job "${name}": handler must be a function`);
    return { ...definition, handler: (run) => definition.handler(run, server()) };
  };
  const { schema } = functions;
  const jobs = Object.fromEntries(Object.entries(functions.jobs ?? {}).map(([name, job]) => [name, wrap(name, job)]));
  if (hasAfterHooks(hooks)) jobs[afterHooksJob] = wrap(afterHooksJob, { retries: 5, handler: afterHooksHandler(hooks) as never });
  return {
    hooks: Object.keys(hooks).length ? createHooksObserver(hooks, () => server().jobs, () => server().notify) : undefined,
    webhooks: Object.entries(declared).flatMap(([name, definition]) => {
      // A webhook whose URL or secret comes from an unset variable is off, not a boot failure:
      // the example schema declares one, and a checkout without the variables must still serve.
      const unset = [definition.url, definition.secret].filter((v): v is { env: string } => typeof v === 'object' && v !== null && !options.env[v.env]);
      if (unset.length) {
        (options.warn ?? console.warn)(`Webhook "${name}" is off: set ${unset.map((v) => v.env).join(' and ')} to deliver it.`);
        return [];
      }
      return [resolveWebhook(name, definition, options.env, models)];
    }),
    schema: schema && ((builder, kit) => schema(builder, { kit })),
    jobs,
    schedules: Object.fromEntries(
      Object.entries(functions.schedules ?? {}).map(([name, s]) => [name, { ...s, ...wrap(name, s) }]),
    ),
    routes: resolveRoutes(functions.routes ?? []),
    plugins: [...(functions.plugins ?? [])],
  };
}

/** `ctx.jobs` of an app that defines no jobs: enqueueing names the problem. */
export const noJobs: Jobs = {
  enqueue: async (name) => {
    throw new Error(`No job named "${name}" is defined (the app defines no jobs)`);
  },
  get: async () => null,
  within: () => noJobs,
};
