import type { Plugin } from 'graphql-yoga';
import type { JobDefinition, Jobs, ScheduleDefinition } from '../jobs/index.ts';
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
}

/** `server` is read when a job runs (the queue it needs is built after this). */
export function resolveFunctions(functions: CairnFunctions, server: () => ServerContext): ResolvedFunctions {
  const wrap = (name: string, job: AppJob): JobDefinition => {
    const definition = typeof job === 'function' ? { handler: job } : job;
    if (typeof definition?.handler !== 'function') throw new Error(`Job "${name}": handler must be a function`);
    return { ...definition, handler: (run) => definition.handler(run, server()) };
  };
  const { schema } = functions;
  return {
    schema: schema && ((builder, kit) => schema(builder, { kit })),
    jobs: Object.fromEntries(Object.entries(functions.jobs ?? {}).map(([name, job]) => [name, wrap(name, job)])),
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
