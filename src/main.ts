import { buildApp } from './app.ts';
import { loadConfig } from './config/index.ts';

async function main(): Promise<void> {
  const config = loadConfig();
  const app = await buildApp({ config });
  const { url } = await app.start();
  console.log(`Cairn serving ${config.provider} at ${url}${config.graphiql ? ' (GraphiQL enabled)' : ''}`);

  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      console.log(`${signal}: shutting down`);
      app.stop().then(
        () => process.exit(0),
        (error) => {
          console.error(error);
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
