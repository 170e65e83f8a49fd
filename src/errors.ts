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
export const internal = (message = 'Unexpected error.') => new CairnError('INTERNAL_SERVER_ERROR', message);

export const isCairnError = (error: unknown): error is CairnError => error instanceof CairnError;
