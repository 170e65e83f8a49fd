/**
 * JSON that keeps the types change events carry: Date, bigint, Uint8Array/Buffer, and Prisma's
 * Decimal (revived as its exact decimal string). Tagged as one-key objects `{ "$t": [type, value] }`.
 */
export function encodeMessage(value: unknown): string {
  return JSON.stringify(value, function (this: Record<string, unknown>, key: string, current: unknown) {
    const raw = this[key];
    if (raw instanceof Date) return { $t: ['date', raw.toISOString()] };
    if (typeof raw === 'bigint') return { $t: ['bigint', raw.toString()] };
    if (raw instanceof Uint8Array) return { $t: ['bytes', Buffer.from(raw).toString('base64')] };
    if (isDecimal(raw)) return { $t: ['decimal', raw.toString()] };
    return current;
  });
}

export function decodeMessage(text: string): unknown {
  return JSON.parse(text, (_key, value: unknown) => {
    if (!value || typeof value !== 'object' || !('$t' in value)) return value;
    const [type, data] = (value as { $t: [string, string] }).$t;
    switch (type) {
      case 'date':
        return new Date(data);
      case 'bigint':
        return BigInt(data);
      case 'bytes':
        return new Uint8Array(Buffer.from(data, 'base64'));
      case 'decimal':
        return data;
      default:
        return value;
    }
  });
}

// Prisma's Decimal (decimal.js) without importing a generated client: d/e/s fields and toFixed.
function isDecimal(value: unknown): value is { toString(): string } {
  return !!value && typeof value === 'object' && 'd' in value && 'e' in value && 's' in value && typeof (value as { toFixed?: unknown }).toFixed === 'function';
}
