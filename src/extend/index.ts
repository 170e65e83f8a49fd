/**
 * The app's own code, beside the schema and outside src/: `functions/index.ts` (or
 * `CAIRN_FUNCTIONS`) default-exports `defineFunctions({ schema, jobs, schedules, routes, plugins })`;
 * embedders pass the same object as `AppOptions.functions`.
 */
export { defineFunctions, type AppJob, type AppJobHandler, type AppSchedule, type CairnFunctions, type Route, type RouteContext, type SchemaTools, type ServerContext } from './functions.ts';
export { applyFieldAuth, type AuthRule } from './field-auth.ts';
export { loadFunctions, validateFunctions } from './load-functions.ts';
export { noJobs, resolveFunctions, type ResolvedFunctions } from './resolve-functions.ts';
export { useFunctionRoutes } from './use-function-routes.ts';
