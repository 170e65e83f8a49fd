import type { PushResult } from './push-provider.ts';

/**
 * Reads a Retry-After header (delta-seconds or an HTTP date) as whole seconds from now; undefined
 * when absent or unreadable.
 */
export const parseRetryAfter = (value: string | null | undefined, now = Date.now()): number | undefined => {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, Math.ceil((date - now) / 1000));
};

/** The classification shared by all three services for 429 and 5xx answers; undefined for others. */
export const classifyTransient = (service: string, status: number, retryAfter: string | null | undefined, detail = ''): PushResult | undefined => {
  if (status !== 429 && status < 500) return undefined;
  const retryAfterSeconds = parseRetryAfter(retryAfter);
  const reason = `${service} answered ${status}${status === 429 ? ' (rate limited)' : ''}${detail ? `: ${detail}` : ''}`;
  return retryAfterSeconds === undefined ? { status: 'retry', reason } : { status: 'retry', reason, retryAfterSeconds };
};

/** A fetch/http2 failure (refused, reset, aborted by our timeout) as a retryable result. */
export const networkFailure = (service: string, error: unknown, timeoutMs: number): PushResult => {
  const name = (error as { name?: string } | undefined)?.name;
  if (name === 'TimeoutError' || name === 'AbortError') {
    return { status: 'retry', reason: `${service} did not answer within ${timeoutMs} ms` };
  }
  const cause = (error as { cause?: { code?: string; message?: string } } | undefined)?.cause;
  const message = cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
  return { status: 'retry', reason: `${service} unreachable: ${message}` };
};

/** Applies a base-URL override: keeps path and query of `url`, takes scheme/host/port of `baseUrl`. */
export const rebase = (url: string, baseUrl: string | undefined): string => {
  if (!baseUrl) return url;
  const original = new URL(url);
  const base = new URL(baseUrl);
  const basePath = base.pathname.replace(/\/$/, '');
  return `${base.origin}${basePath}${original.pathname}${original.search}`;
};
