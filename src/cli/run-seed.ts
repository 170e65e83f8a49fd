/**
 * The child process `cairn seed` runs: `node [--import tsx] run-seed.ts <seed.ts> [args…]`.
 * A seed whose default export is a function gets a SeedContext (the app's client, a password-user
 * helper); any other module is a plain script that did its work when imported.
 */
import { randomBytes } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { loadConfig } from '../config/index.ts';
import { createDb, loadGenerated, pushSchema } from '../db/index.ts';
import type { SeedContext } from './seed-context.ts';

const [seedPath, ...args] = process.argv.slice(2);
process.argv = [process.argv[0]!, seedPath!, ...args];
const seed = (await import(pathToFileURL(seedPath!).href)) as { default?: unknown };

if (typeof seed.default === 'function') {
  const config = loadConfig();
  const generated = await loadGenerated(config.generatedDir, config.provider);
  // As at boot in development: a fresh clone can seed before it ever started the server.
  if (config.syncSchema === 'push') await pushSchema({ databaseUrl: config.databaseUrl, schemaPath: generated.schemaPath });
  const db = createDb({ databaseUrl: config.databaseUrl, generated });
  const context: SeedContext = {
    db,
    datamodel: generated.datamodel,
    async createUser({ email, password = passphrase(), roles, data }) {
      const { createPasswordUser } = await import('../auth/index.ts');
      const user = await createPasswordUser({ db, datamodel: generated.datamodel, email, password, roles });
      if (data && Object.keys(data).length) await db.user.update({ where: { id: user.id }, data });
      return { ...user, password };
    },
    log: (line) => console.log(line),
  };
  try {
    await seed.default(context);
  } finally {
    await db.$disconnect();
  }
}

/** Four random groups of five letters (about 90 bits): easy to type from a terminal. */
function passphrase(): string {
  const letters = 'abcdefghijkmnopqrstuvwxyz';
  const bytes = randomBytes(20);
  const chars = [...bytes].map((b) => letters[b % letters.length]).join('');
  return chars.match(/.{5}/g)!.join('-');
}
