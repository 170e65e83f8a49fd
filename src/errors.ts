import { GraphQLError } from 'graphql';

/** The closed set of codes a client can see in `extensions.code`. */
export const errorCodes = {
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  BAD_USER_INPUT: 400,
  NOT_FOUND: 404,
  CONFLICT: 409,
  RATE_LIMITED: 429,
  PAYLOAD_TOO_LARGE: 413,
  INTERNAL_SERVER_ERROR: 500,
  /** A dependency (the database) is unreachable; retry after `retryAfter` seconds (HTTP Retry-After). */
  SERVICE_UNAVAILABLE: 503,
  /** The operation ran past CAIRN_REQUEST_TIMEOUT_MS and was stopped. */
  TIMEOUT: 504,
} as const;
export type ErrorCode = keyof typeof errorCodes;

/**
 * The one error type Cairn raises on purpose. It is a GraphQLError so yoga sends it unmasked,
 * with `extensions.code`, optional details, and the HTTP status it maps to.
 */
export class CairnError extends GraphQLError {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string, details: Record<string, unknown> = {}) {
    super(message, { extensions: { code, ...details, http: { status: errorCodes[code] } } });
    this.code = code;
    this.name = 'CairnError';
  }
}

export const badInput = (message: string, details?: Record<string, unknown>) =>
  new CairnError('BAD_USER_INPUT', message, details);
export const notFound = (message: string, details?: Record<string, unknown>) =>
  new CairnError('NOT_FOUND', message, details);
export const conflict = (message: string, details?: Record<string, unknown>) =>
  new CairnError('CONFLICT', message, details);
export const forbidden = (message: string, details?: Record<string, unknown>) =>
  new CairnError('FORBIDDEN', message, details);
export const unauthenticated = (message: string) => new CairnError('UNAUTHENTICATED', message);
/** Too many attempts; `retryAfter` (seconds) tells the client when to try again. */
export const rateLimited = (message: string, retryAfter: number) =>
  new CairnError('RATE_LIMITED', message, { retryAfter });
/**
 * A request over one of the security limits (README "Security limits"): BAD_USER_INPUT naming the
 * limit, its environment variable, the maximum and what arrived, e.g. `{ limit: "maxDepth", max: 12, value: 25 }`.
 */
export const limitExceeded = (what: string, limit: string, envVar: string, max: number, value: number | string) =>
  new CairnError('BAD_USER_INPUT', `${what} is over the limit: ${value} > ${max} (${envVar}).`, { limit, max, value });
/** The database (or another dependency) cannot be reached right now; clients retry after `retryAfter` seconds. */
export const serviceUnavailable = (message: string, retryAfter = 5) => new CairnError('SERVICE_UNAVAILABLE', message, { retryAfter });
export const timeout = (ms: number) =>
  new CairnError('TIMEOUT', `The operation ran longer than ${ms} ms (CAIRN_REQUEST_TIMEOUT_MS) and was stopped.`, { timeoutMs: ms });
export const internal = (message = 'Unexpected error.') => new CairnError('INTERNAL_SERVER_ERROR', message);

export const isCairnError = (error: unknown): error is CairnError => error instanceof CairnError;
