/**
 * The app's own code, beside the schema and outside src/: `functions/index.ts` (or
 * `CAIRN_FUNCTIONS`) default-exports `defineFunctions({ schema, jobs, schedules, routes, plugins })`;
 * embedders pass the same object as `AppOptions.functions`.
 */
export { defineFunctions, type AppJob, type AppJobHandler, type AppSchedule, type CairnFunctions, type Route, type RouteContext, type SchemaTools, type ServerContext } from './functions.ts';
export { applyFieldAuth, type AuthRule } from './field-auth.ts';
export { loadFunctions, validateFunctions } from './load-functions.ts';
export { noJobs, resolveFunctions, type ResolvedFunctions, type ResolveFunctionsOptions } from './resolve-functions.ts';
export { afterHooksJob, createHooksObserver, type AfterHook, type BeforeHook, type BeforeHookContext, type ModelHooks } from './model-hooks.ts';
export { webhookAnnotations } from './webhook-annotations.ts';
export { registerWebhookLog } from './register-webhook-log.ts';
// Refusing from a hook or a function: coded errors the client sees as they are.
export { badInput, conflict, forbidden, notFound, unauthenticated } from '../errors.ts';
export { useFunctionRoutes } from './use-function-routes.ts';
export { buildAppCode, type AppCode, type AppCodeOptions } from './build-app-code.ts';
