/** Parsers for environment values; each error names the variable, the expectation and what arrived. */

export type Env = Record<string, string | undefined>;

export function integer(name: string, raw: string | undefined, fallback: number, min: number, max: number): number {
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(`${name} must be an integer from ${min} to ${max}, got "${raw}"`);
  }
  return value;
}

export function boolean(name: string, raw: string | undefined, fallback: boolean): boolean {
  if (raw === undefined || raw === '') return fallback;
  if (['1', 'true', 'yes'].includes(raw)) return true;
  if (['0', 'false', 'no'].includes(raw)) return false;
  throw new Error(`${name} must be true or false, got "${raw}"`);
}

export function oneOf<T extends string>(name: string, raw: string, allowed: readonly T[]): T {
  if (!allowed.includes(raw as T)) throw new Error(`${name} must be one of ${allowed.join(', ')}, got "${raw}"`);
  return raw as T;
}

/** An absolute http(s) URL, without a trailing slash. */
export function httpUrl(name: string, raw: string): string {
  let url: URL | undefined;
  try {
    url = new URL(raw);
  } catch {
    // reported below
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    throw new Error(`${name} must be an absolute http(s) URL, got "${raw}"`);
  }
  return url.href.replace(/\/+$/, '');
}

/** A comma-separated list of origins (`scheme://host[:port]`, nothing after). */
export function origins(name: string, raw: string | undefined): string[] {
  const items = (raw ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  return items.map((item) => {
    const origin = URL.canParse(item) ? new URL(item).origin : 'null';
    if (origin === 'null' || origin !== item.replace(/\/$/, '')) {
      throw new Error(`${name} must list origins like https://app.example.com (no path), got "${item}"`);
    }
    return origin;
  });
}

/** Both variables of a pair, or neither; one without the other is a mistake worth stopping for. */
export function pair(env: Env, idName: string, secretName: string): { clientId: string; clientSecret: string } | undefined {
  const clientId = env[idName] || undefined;
  const clientSecret = env[secretName] || undefined;
  if (!clientId && !clientSecret) return undefined;
  if (!clientId || !clientSecret) {
    throw new Error(`${clientId ? secretName : idName} must be set when ${clientId ? idName : secretName} is`);
  }
  return { clientId, clientSecret };
}
