export { corsOptions, createCairnYoga, graphqlEndpoint, type CairnYoga, type YogaOptions } from './create-yoga.ts';
export { hasHttpHooks, serveFastPath, type FastPathOptions, type FastPathStats } from './serve-fast-path.ts';
export { createContextFactory, type ContextDeps } from './create-context.ts';
export { runAsHeader, userViewerLookup, type RunAs } from './resolve-run-as.ts';
export { createWebSocketServer, type CairnWebSocketServer, type WebSocketServerOptions } from './create-websocket-server.ts';
export { createGracefulServer, type GracefulServer } from './create-graceful-server.ts';
export { createLogger, type Logger } from './create-logger.ts';
export { createReadinessCheck, type ReadinessOptions } from './check-readiness.ts';
export { requestIdHeader } from './use-request-log.ts';
