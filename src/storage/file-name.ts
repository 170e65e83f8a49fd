import { badInput } from '../errors.ts';

/**
 * A client's file name, kept only as a label (storage keys never contain it): refused when it
 * holds a path (`/`, `\`, `..`) or control characters rather than silently rewritten.
 */
export function checkFileName(raw: string | undefined): string {
  const name = (raw ?? '').normalize('NFC');
  if (!name.trim()) throw badInput('A file name is required.', { field: 'name' });
  if (/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/.test(name)) throw badInput('A file name cannot contain control characters.', { field: 'name' });
  if (/[/\\]/.test(name) || name === '.' || name === '..') throw badInput('A file name cannot contain a path ("/", "\\" or "..").', { field: 'name' });
  if (Buffer.byteLength(name) > 255) throw badInput('A file name is at most 255 bytes.', { field: 'name' });
  return name;
}
