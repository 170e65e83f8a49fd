import { boolean, integer, type Env } from './env-values.ts';

/**
 * Bounds on what one request may ask of the server, checked before anything runs. Defaults follow
 * GraphQL Armor's spirit (refuse what no real client sends) with room for Relay-style nesting.
 */
export interface LimitsConfig {
  /** `CAIRN_MAX_DEPTH`: the deepest field nesting an operation may have (introspection excluded). @default 12 */
  maxDepth: number;
  /** `CAIRN_MAX_ALIASES`: aliases in one operation (`__typename` not counted). @default 30 */
  maxAliases: number;
  /** `CAIRN_MAX_TOKENS`: lexical tokens in one document, checked while parsing. @default 5000 */
  maxTokens: number;
  /** `CAIRN_MAX_DIRECTIVES`: directives in one operation. @default 50 */
  maxDirectives: number;
  /**
   * `CAIRN_MAX_COST`: rows an operation may ask for: every object field costs the product of the
   * list sizes above it and its own (`take`/`first`/`last`, or `CAIRN_MAX_PAGE_SIZE` when absent).
   * @default 100000
   */
  maxCost: number;
  /** `CAIRN_MAX_INPUT_LIST`: items in one list of an input value (an `in`, a `createMany`'s data). @default 10000 */
  maxInputList: number;
  /** `CAIRN_MAX_INPUT_DEPTH`: nesting of objects in one input value (`NOT`/`AND` chains, nested writes). @default 20 */
  maxInputDepth: number;
  /** `CAIRN_MAX_STRING_LENGTH`: characters in one input string (variables and literals). @default 1000000 */
  maxStringLength: number;
  /** `CAIRN_MAX_BATCH`: operations in one batched HTTP request (a JSON array; each is limited as if sent alone); 0 turns batching off. @default 10 */
  maxBatch: number;
  /** `CAIRN_REQUEST_TIMEOUT_MS`: an operation still running after this is stopped with TIMEOUT (0: none). @default 15000 */
  requestTimeoutMs: number;
  /** `CAIRN_INTROSPECTION`: answer `__schema`/`__type` queries. @default true outside production */
  introspection: boolean;
  /** `CAIRN_SUGGESTIONS`: keep graphql-js's "Did you mean …" hints in error messages. @default true outside production */
  suggestions: boolean;
  /** `CAIRN_SHUTDOWN_TIMEOUT_MS`: on SIGTERM, how long running requests get before the process exits anyway. @default 20000 */
  shutdownTimeoutMs: number;
  /** `CAIRN_WS_MAX_PER_ADDRESS`: open WebSocket connections from one client address. @default 50 */
  wsMaxPerAddress: number;
  /** `CAIRN_WS_MAX_PER_VIEWER`: open WebSocket connections of one signed-in viewer. @default 20 */
  wsMaxPerViewer: number;
  /**
   * `CAIRN_WS_MAX_OPERATIONS`: operations of any kind (queries, mutations, subscriptions) running at
   * once on one connection, checked by the socket server before anything else. @default 100
   */
  wsMaxOperations: number;
  /** `CAIRN_WS_INIT_TIMEOUT_MS`: a socket that sends no `connection_init` within this is closed (4408). @default 3000 */
  wsInitTimeoutMs: number;
  /**
   * `CAIRN_WS_PING_MS`: every open WebSocket is pinged this often, and one that has not answered
   * the previous ping (pong) is terminated, ending its subscriptions; 0 turns keep-alive off. @default 30000
   */
  wsPingMs: number;
  /**
   * `CAIRN_WS_IDLE_TIMEOUT_MS`: a WebSocket that runs no operation for this long is closed (1000,
   * "idle"); graphql-ws's lazy clients (the default) reconnect on their next operation. 0 keeps idle
   * sockets open. @default 300000
   */
  wsIdleTimeoutMs: number;
}

export function loadLimitsConfig(env: Env, production: boolean): LimitsConfig {
  const n = (name: string, fallback: number, min = 1, max = 2 ** 31) => integer(name, env[name], fallback, min, max);
  return {
    maxDepth: n('CAIRN_MAX_DEPTH', 12),
    maxAliases: n('CAIRN_MAX_ALIASES', 30, 0),
    maxTokens: n('CAIRN_MAX_TOKENS', 5000),
    maxDirectives: n('CAIRN_MAX_DIRECTIVES', 50, 0),
    maxCost: n('CAIRN_MAX_COST', 100_000),
    maxInputList: n('CAIRN_MAX_INPUT_LIST', 10_000),
    maxInputDepth: n('CAIRN_MAX_INPUT_DEPTH', 20),
    maxStringLength: n('CAIRN_MAX_STRING_LENGTH', 1_000_000),
    maxBatch: n('CAIRN_MAX_BATCH', 10, 0, 1000),
    requestTimeoutMs: n('CAIRN_REQUEST_TIMEOUT_MS', 15_000, 0),
    introspection: boolean('CAIRN_INTROSPECTION', env.CAIRN_INTROSPECTION, !production),
    suggestions: boolean('CAIRN_SUGGESTIONS', env.CAIRN_SUGGESTIONS, !production),
    shutdownTimeoutMs: n('CAIRN_SHUTDOWN_TIMEOUT_MS', 20_000, 0),
    wsMaxPerAddress: n('CAIRN_WS_MAX_PER_ADDRESS', 50),
    wsMaxPerViewer: n('CAIRN_WS_MAX_PER_VIEWER', 20),
    wsMaxOperations: n('CAIRN_WS_MAX_OPERATIONS', 100),
    wsInitTimeoutMs: n('CAIRN_WS_INIT_TIMEOUT_MS', 3000),
    wsPingMs: n('CAIRN_WS_PING_MS', 30_000, 0),
    wsIdleTimeoutMs: n('CAIRN_WS_IDLE_TIMEOUT_MS', 300_000, 0),
  };
}
