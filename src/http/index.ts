export { createCairnYoga, type CairnYoga, type YogaOptions } from './create-yoga.ts';
export { createContextFactory, type ContextDeps } from './create-context.ts';
