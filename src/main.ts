import { buildApp } from './app.ts';
import { loadConfig } from './config/index.ts';
import { createLogger } from './http/index.ts';

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  const app = await buildApp({ config, logger });
  const { url } = await app.start();
  // Also plain text on stdout: people and scripts (cairn start's test) read this line.
  console.log(`Cairn serving ${config.provider} at ${url}${config.graphiql ? ' (GraphiQL enabled)' : ''}`);
  logger.info({ url, provider: config.provider, env: config.env }, 'serving');

  const { shutdownTimeoutMs } = config.limits;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      logger.info({ signal, timeoutMs: shutdownTimeoutMs }, 'shutdown: signal received');
      // The drain has its own deadline; this one catches a step that hangs past it (e.g. the database).
      setTimeout(() => {
        logger.error({ timeoutMs: shutdownTimeoutMs }, 'shutdown: did not finish in time, exiting');
        process.exit(1);
      }, shutdownTimeoutMs + 2000).unref();
      app.stop({ timeoutMs: shutdownTimeoutMs }).then(
        () => process.exit(0),
        (error) => {
          logger.error({ err: error }, 'shutdown failed');
          process.exit(1);
        },
      );
    });
  }
}

main().catch((error: Error) => {
  // Boot errors (configuration, schema, database) are for people: the message, not a stack.
  console.error(`Cairn could not start: ${error.message}`);
  if (process.env.NODE_ENV === 'development' || process.env.DEBUG) console.error(error.stack);
  process.exit(1);
});
