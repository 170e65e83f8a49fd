import { fileTypeFromBuffer } from 'file-type';

/** Bytes file-type needs to recognise every format it knows. */
export const sniffBytes = 4100;

/**
 * The type the bytes say, never the client's claim: file-type's signature for binary formats;
 * text without NUL bytes that decodes as UTF-8 is `text/plain`; anything else is
 * `application/octet-stream`.
 */
export async function sniffType(head: Uint8Array): Promise<string> {
  const found = await fileTypeFromBuffer(head);
  if (found) return found.mime;
  if (!head.length || head.includes(0)) return 'application/octet-stream';
  try {
    // A multi-byte character cut at the end of the sample is not a reason to call it binary.
    new TextDecoder('utf-8', { fatal: true }).decode(head.length >= sniffBytes ? head.subarray(0, head.length - 4) : head);
    return 'text/plain';
  } catch {
    return 'application/octet-stream';
  }
}

/** Types a browser may show inline without running anything; every other type downloads as an attachment. */
const inlineTypes = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'image/avif', 'video/mp4', 'video/webm', 'audio/mpeg', 'audio/ogg', 'audio/wav', 'text/plain']);

/** `Content-Disposition` for a stored file: inline only for passive types, with a safe file name. */
export function contentDisposition(mimeType: string, name: string): string {
  const kind = inlineTypes.has(mimeType) ? 'inline' : 'attachment';
  const ascii = name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return `${kind}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

/** The stored type as served: text is served as plain text whatever it contains. */
export const servedType = (mimeType: string) => (mimeType === 'text/plain' ? 'text/plain; charset=utf-8' : mimeType);
