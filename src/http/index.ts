export { createCairnYoga, type CairnYoga, type YogaOptions } from './create-yoga.ts';
export { createContextFactory, type ContextDeps } from './create-context.ts';
export { runAsHeader, userViewerLookup, type RunAs } from './resolve-run-as.ts';
export { createWebSocketServer, type CairnWebSocketServer, type WebSocketServerOptions } from './create-websocket-server.ts';
