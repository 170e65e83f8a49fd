const units: Record<string, number> = { b: 1, kb: 1e3, mb: 1e6, gb: 1e9, kib: 1024, mib: 1024 ** 2, gib: 1024 ** 3 };

/** `"5MB"` → 5000000, `"512KiB"` → 524288, `1000` → 1000 (decimal units, as file managers show them). */
export function parseSize(raw: string | number, what: string): number {
  if (typeof raw === 'number' && Number.isInteger(raw) && raw > 0) return raw;
  const match = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(String(raw));
  const unit = units[(match?.[2] || 'b').toLowerCase()];
  if (!match || !unit || Number(match[1]) <= 0) throw new Error(`${what} must be a size like "5MB", "512KiB" or a number of bytes, got ${JSON.stringify(raw)}`);
  return Math.floor(Number(match[1]) * unit);
}

/** `"15m"`, `"24h"`, `"7d"`, `"3600"` (seconds) → seconds. */
export function parseDuration(raw: string, what: string): number {
  const match = /^\s*(\d+)\s*(s|m|h|d)?\s*$/i.exec(raw);
  if (!match || Number(match[1]) <= 0) throw new Error(`${what} must be a duration like "900", "15m", "24h" or "7d", got ${JSON.stringify(raw)}`);
  return Number(match[1]) * { s: 1, m: 60, h: 3600, d: 86400 }[(match[2] ?? 's').toLowerCase() as 's']!;
}
