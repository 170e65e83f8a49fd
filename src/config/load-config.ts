import { dirname, join, resolve } from 'node:path';
import { providerOf, type Provider } from '../db/provider.ts';
import { loadAuthConfig, type AuthConfig } from './auth-config.ts';
import { boolean, integer, oneOf, type Env } from './env-values.ts';
import { loadRealtimeConfig, type RealtimeConfig } from './realtime-config.ts';
import { loadLimitsConfig, type LimitsConfig } from './limits-config.ts';
import { loadStorageConfig, type StorageConfig } from './storage-config.ts';

const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** Cairn's whole configuration, validated once at boot and frozen. */
export interface Config extends AuthConfig, RealtimeConfig {
  /** `NODE_ENV`: development shows GraphiQL and unmasked errors. @default "development" */
  env: 'development' | 'production' | 'test';
  /** `PORT` the HTTP server listens on. @default 4000 */
  port: number;
  /** `HOST` to bind. @default "0.0.0.0" */
  host: string;
  /** `DATABASE_URL`: `file:` (SQLite) or `postgresql://`. @default "file:./data/cairn.db" */
  databaseUrl: string;
  provider: Provider;
  /** `CAIRN_SCHEMA`: the user's Prisma schema. @default "prisma/schema.prisma" */
  schemaPath: string;
  /** `CAIRN_GENERATED_DIR`: output of `cairn generate`. @default "src/generated" */
  generatedDir: string;
  /**
   * `CAIRN_SYNC_SCHEMA`: `push` brings the database in line with the schema at boot (never with
   * data loss); `off` leaves it to `cairn migrate deploy`. @default "push", "off" in production
   */
  syncSchema: 'push' | 'off';
  /** `CAIRN_MAX_PAGE_SIZE`: the most rows one list, relation list or connection page returns. @default 100 */
  maxPageSize: number;
  /** `CAIRN_MAX_BODY_BYTES`: the largest HTTP request body accepted (PAYLOAD_TOO_LARGE beyond). @default 25000000 */
  maxBodyBytes: number;
  /** `CAIRN_DB_POOL_SIZE`: PostgreSQL connections per instance. @default 10 */
  dbPoolSize: number;
  /** `CAIRN_DB_PREPARED_STATEMENTS`: distinct SQL texts each PostgreSQL connection keeps prepared; 0: none. @default 1000 */
  dbPreparedStatements: number;
  /** `CAIRN_GRAPHIQL`: serve GraphiQL at /graphql. @default true outside production */
  graphiql: boolean;
  /**
   * `CAIRN_HTTP_FAST_PATH`: plain JSON POSTs of one query or mutation skip yoga's HTTP layer (same
   * response, less CPU); `0` sends every request through yoga. Off anyway when an app or embedder
   * plugin hooks into yoga's HTTP handling. @default true
   */
  httpFastPath: boolean;
  /** `CAIRN_ADMIN_ROLE`: the role that may send `x-cairn-run-as`. Rules grant it nothing unless they say so. @default "admin" */
  adminRole: string;
  /**
   * `CAIRN_MIGRATIONS_DIR`: the migrations folder. When it holds a `migration_lock.toml`, `/ready`
   * fails while a migration in it is not applied. @default "<schema folder>/migrations"
   */
  migrationsDir: string;
  /** `LOG_LEVEL`: pino's level for the server log (one JSON line per request at `info`). @default "info", "silent" when NODE_ENV=test */
  logLevel: (typeof logLevels)[number];
  /** Operation, input, time and WebSocket limits (README "Security limits"). */
  limits: LimitsConfig;
  /** File storage: driver, secret, TTLs and upload limits (README "Files"). */
  storage: StorageConfig;
  /**
   * `CAIRN_FUNCTIONS`: the app's own code (custom fields, jobs, schedules, routes, hooks, webhooks);
   * skipped when the file does not exist, off when set empty. @default "<schema folder>/../functions/index.ts" (`functions/index.ts` beside `prisma/`)
   */
  functionsPath: string | null;
  /** `CAIRN_MAX_PUSH_DEVICES`: push devices one user may register (BAD_USER_INPUT beyond). @default 20 */
  maxPushDevices: number;
  /** `CAIRN_JOBS_POLL_MS`: how often idle job workers look for due jobs (pg-boss: at least 500). @default 500 */
  jobsPollMs: number;
  /**
   * `CAIRN_JOBS_RETENTION_DAYS`: completed jobs and delivered webhook events are deleted this long
   * after they finished (a job's key is free again then). @default 7
   */
  jobsRetentionDays: number;
  /** `CAIRN_DEAD_RETENTION_DAYS`: dead jobs and dead-lettered webhook deliveries are kept this long, for inspection and replay. @default 30 */
  deadRetentionDays: number;
  /** `CAIRN_SESSION_PURGE_MS`: how often each instance deletes expired sessions and one-time tokens (jittered); 0 turns it off. @default 600000 */
  sessionPurgeMs: number;
}

/** Reads and validates the configuration from the environment; `overrides` win (tests, CLI flags). */
export function loadConfig(env: Env = process.env, overrides: Partial<Config> = {}): Readonly<Config> {
  const mode = oneOf('NODE_ENV', env.NODE_ENV ?? 'development', ['development', 'production', 'test'] as const);
  const databaseUrl = overrides.databaseUrl ?? env.DATABASE_URL ?? 'file:./data/cairn.db';
  const port = overrides.port ?? integer('PORT', env.PORT, 4000, 0, 65535);
  const schemaPath = resolve(env.CAIRN_SCHEMA ?? 'prisma/schema.prisma');
  const config: Config = {
    env: mode,
    port,
    host: env.HOST ?? '0.0.0.0',
    databaseUrl,
    provider: providerOf(databaseUrl),
    schemaPath,
    generatedDir: resolve(env.CAIRN_GENERATED_DIR ?? 'src/generated'),
    syncSchema: oneOf('CAIRN_SYNC_SCHEMA', env.CAIRN_SYNC_SCHEMA ?? (mode === 'production' ? 'off' : 'push'), [
      'push',
      'off',
    ] as const),
    maxPageSize: integer('CAIRN_MAX_PAGE_SIZE', env.CAIRN_MAX_PAGE_SIZE, 100, 1, 10_000),
    maxBodyBytes: integer('CAIRN_MAX_BODY_BYTES', env.CAIRN_MAX_BODY_BYTES, 25_000_000, 1, 2 ** 31),
    dbPoolSize: integer('CAIRN_DB_POOL_SIZE', env.CAIRN_DB_POOL_SIZE, 10, 1, 1000),
    dbPreparedStatements: integer('CAIRN_DB_PREPARED_STATEMENTS', env.CAIRN_DB_PREPARED_STATEMENTS, 1000, 0, 100_000),
    graphiql: boolean('CAIRN_GRAPHIQL', env.CAIRN_GRAPHIQL, mode !== 'production'),
    httpFastPath: boolean('CAIRN_HTTP_FAST_PATH', env.CAIRN_HTTP_FAST_PATH, true),
    adminRole: env.CAIRN_ADMIN_ROLE || 'admin',
    migrationsDir: resolve(env.CAIRN_MIGRATIONS_DIR || join(dirname(schemaPath), 'migrations')),
    logLevel: oneOf('LOG_LEVEL', env.LOG_LEVEL || (mode === 'test' ? 'silent' : 'info'), logLevels),
    limits: loadLimitsConfig(env, mode === 'production'),
    storage: loadStorageConfig(env, { publicUrl: env.PUBLIC_URL || `http://localhost:${port}`, production: mode === 'production' }),
    functionsPath: env.CAIRN_FUNCTIONS === '' ? null : resolve(env.CAIRN_FUNCTIONS ?? join(dirname(schemaPath), '..', 'functions', 'index.ts')),
    maxPushDevices: integer('CAIRN_MAX_PUSH_DEVICES', env.CAIRN_MAX_PUSH_DEVICES, 20, 1, 1000),
    jobsPollMs: integer('CAIRN_JOBS_POLL_MS', env.CAIRN_JOBS_POLL_MS, 500, 10, 60_000),
    jobsRetentionDays: integer('CAIRN_JOBS_RETENTION_DAYS', env.CAIRN_JOBS_RETENTION_DAYS, 7, 1, 3650),
    deadRetentionDays: integer('CAIRN_DEAD_RETENTION_DAYS', env.CAIRN_DEAD_RETENTION_DAYS, 30, 1, 3650),
    sessionPurgeMs: integer('CAIRN_SESSION_PURGE_MS', env.CAIRN_SESSION_PURGE_MS, 600_000, 0, 86_400_000),
    ...loadAuthConfig(env, port),
    ...loadRealtimeConfig(env),
    ...overrides,
  };
  return Object.freeze(config);
}
