// (d) PostGraphile v5 on the same database, run by Node 22+ from bench/.node (installed by
// bench/run.ts). Plain JavaScript: it runs outside the project's TypeScript toolchain, with the
// packages of this folder. Speaks the same IPC protocol as bench/servers/harness.ts.
import { createServer } from 'node:http';
import pg from 'pg';
import { postgraphile } from 'postgraphile';
import { makePgService } from 'postgraphile/adaptors/pg';
import { grafserv } from 'postgraphile/grafserv/node';
import { PostGraphileAmberPreset } from 'postgraphile/presets/amber';
import { PostGraphileConnectionFilterPreset } from 'postgraphile-plugin-connection-filter';
import { PgAggregatesPreset } from '@graphile/pg-aggregates';

// Statement counting as in bench/servers/statement-counter.ts, on this folder's copy of pg.
const counts = { data: 0, control: 0 };
const controlStatement = /^\s*(BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE|SET\s|START|DEALLOCATE|DISCARD|select\s+set_config)/i;
const query = pg.Client.prototype.query;
pg.Client.prototype.query = function (config, ...rest) {
  const sql = typeof config === 'string' ? config : (config?.text ?? '');
  if (controlStatement.test(sql)) counts.control++;
  else counts.data++;
  return query.call(this, config, ...rest);
};

const send = (message) => process.send?.(message);
try {
  const pool = new pg.Pool({ connectionString: process.env.BENCH_PG_URL, max: Number(process.env.BENCH_POOL_SIZE ?? 10) });
  const pgl = postgraphile({
    extends: [PostGraphileAmberPreset, PostGraphileConnectionFilterPreset, PgAggregatesPreset],
    pgServices: [makePgService({ pool, schemas: [process.env.BENCH_PG_SCHEMA] })],
    // Cairn filters and sorts on every column; PostGraphile only on indexed ones unless told
    // otherwise (v4's default). Without this the search and nested shapes don't exist there.
    disablePlugins: ['PgIndexBehaviorsPlugin'],
    schema: { connectionFilterRelations: true },
    grafserv: { graphqlPath: '/graphql', graphiql: false, watch: false },
    grafast: { explain: false },
  });
  const serv = pgl.createServ(grafserv);
  const server = createServer();
  serv.addTo(server);
  await pgl.getSchema();
  let requests = 0;
  let inFlight = 0;
  server.on('request', (_req, res) => {
    requests++;
    inFlight++;
    res.once('close', () => inFlight--);
  });
  const whenIdle = async () => {
    for (const deadline = Date.now() + 30_000; inFlight > 0 && Date.now() < deadline; ) await new Promise((r) => setTimeout(r, 10));
  };
  const stop = async () => {
    server.close();
    server.closeAllConnections();
    await pgl.release();
    await pool.end();
    process.exit(0);
  };
  process.on('SIGTERM', stop);
  process.on('disconnect', stop);
  let cpuBase = process.cpuUsage();
  const cpuMs = () => {
    const used = process.cpuUsage(cpuBase);
    return (used.user + used.system) / 1000;
  };
  process.on('message', async (message) => {
    if (message.type === 'stop') return stop();
    if (message.type !== 'sample') await whenIdle();
    if (message.type === 'reset') {
      requests = counts.data = counts.control = 0;
      cpuBase = process.cpuUsage();
    }
    send({ type: 'stats', requests, ...counts, rss: process.memoryUsage.rss(), cpuMs: cpuMs() });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  send({ type: 'ready', port: server.address().port, path: '/graphql' });
} catch (error) {
  send({ type: 'error', message: error?.stack ?? String(error) });
  process.exit(1);
}
