import { createHash, randomUUID } from 'node:crypto';

/**
 * A keyed job's id is derived from (name, key), so a second enqueue of the same key collides on
 * the primary key and is dropped by the database itself, across processes. Shaped as a UUID
 * (pg-boss keys jobs by uuid).
 */
export function jobId(name: string, key: string | undefined): string {
  if (key === undefined) return randomUUID();
  const hex = createHash('sha256').update(`${name}\u0000${key}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${((parseInt(hex[16]!, 16) & 3) | 8).toString(16)}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
