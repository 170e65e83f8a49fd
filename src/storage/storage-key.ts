/** Keys are Cairn's own names (`files/<id>`, `variants/<id>/<hash>.webp`): no client text, no `..`. */
const keyPattern = /^[a-z0-9][a-z0-9_-]*(\/[a-z0-9][a-z0-9_.-]*)*$/i;

export function assertKey(key: string): string {
  if (key.length > 512 || !keyPattern.test(key) || key.split('/').some((part) => part === '..' || part.startsWith('.'))) {
    throw new Error(`Invalid storage key ${JSON.stringify(key)}: expected segments of letters, digits, "_", "-", "." separated by "/"`);
  }
  return key;
}
