// (d) PostGraphile v5 on the same database, run by Node 22.18+ (bench/lib/toolchain.ts) with the
// packages of this folder. Plain JavaScript, as the root tsconfig knows none of them; Node's type
// stripping lets it share the IPC harness and statement counting of the other servers.
import { createServer } from 'node:http';
import pg from 'pg';
import { postgraphile } from 'postgraphile';
import { makePgService } from 'postgraphile/adaptors/pg';
import { grafserv } from 'postgraphile/grafserv/node';
import { PostGraphileAmberPreset } from 'postgraphile/presets/amber';
import { PostGraphileConnectionFilterPreset } from 'postgraphile-plugin-connection-filter';
import { PgAggregatesPreset } from '@graphile/pg-aggregates';
import { benchEnv, runServerProcess } from '../servers/harness.ts';
import { countPgStatements } from '../servers/statement-counter.ts';

countPgStatements(pg);

await runServerProcess(async () => {
  const { pgUrl, pgSchema, poolSize } = benchEnv();
  const pool = new pg.Pool({ connectionString: pgUrl, max: poolSize });
  const pgl = postgraphile({
    extends: [PostGraphileAmberPreset, PostGraphileConnectionFilterPreset, PgAggregatesPreset],
    pgServices: [makePgService({ pool, schemas: [pgSchema] })],
    // Cairn filters and sorts on every column; PostGraphile only on indexed ones unless told
    // otherwise (v4's default). Without this the search and nested shapes don't exist there.
    disablePlugins: ['PgIndexBehaviorsPlugin'],
    schema: { connectionFilterRelations: true },
    grafserv: { graphqlPath: '/graphql', graphiql: false, watch: false },
    grafast: { explain: false },
  });
  const server = createServer();
  pgl.createServ(grafserv).addTo(server);
  await pgl.getSchema();
  return {
    server,
    path: '/graphql',
    async stop() {
      server.close();
      server.closeAllConnections();
      await pgl.release();
      await pool.end();
    },
  };
});
