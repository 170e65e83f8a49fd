import { isAbsolute, relative } from 'node:path';

/** A schema.prisma the user must fix; the message names their file and line. */
export class SchemaError extends Error {
  override name = 'SchemaError';
}

/** `prisma/schema.prisma` relative to the working directory when inside it. */
const shown = (path: string) => {
  const rel = relative(process.cwd(), path);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
};

/**
 * Finds a block (`model X {`, `enum`, `datasource` …) that is never closed. Prisma would report it
 * inside the generator blocks Cairn appends, lines the user never wrote.
 */
export function assertBlocksClosed(schema: string, schemaPath: string): void {
  let open: { line: number; text: string } | undefined;
  const lines = schema.split('\n');
  for (const [index, raw] of lines.entries()) {
    const line = raw.replace(/"(?:[^"\\]|\\.)*"/g, '""').replace(/\/\/.*$/, '');
    for (const char of line) {
      if (char === '{') {
        if (open) throw unclosed(schemaPath, open, index + 1);
        open = { line: index + 1, text: raw.trim() };
      } else if (char === '}') {
        if (!open) throw new SchemaError(`${shown(schemaPath)}:${index + 1}: \`}\` closes no block.`);
        open = undefined;
      }
    }
  }
  if (open) throw unclosed(schemaPath, open);
}

function unclosed(schemaPath: string, open: { line: number; text: string }, nextLine?: number): SchemaError {
  return new SchemaError(
    `${shown(schemaPath)}:${open.line}: \`${open.text}\` is not closed: add \`}\` ` +
      (nextLine ? `before line ${nextLine}, where the next block starts.` : 'at its end.'),
  );
}

/**
 * Prisma's output for a failed generate, for people: colour codes and Prisma's own banner lines
 * removed, the provider-specific copy (`src/generated/…/schema.prisma`, wherever it lives) named as
 * the user's file — line numbers match, as schemaForProvider keeps them.
 */
export function formatPrismaError(output: string, providerSchema: string, userSchema: string): string {
  const text = output
    .replace(/\u001b\[[0-9;]*m/g, '')
    .split('\n')
    .filter((line) => !/^(Prisma schema loaded from |Prisma CLI Version|\[Context: |Environment variables loaded|Error: Prisma schema validation)/.test(line))
    .join('\n');
  const user = shown(userSchema);
  return [providerSchema, relative(process.cwd(), providerSchema)]
    .reduce((acc, path) => acc.replaceAll(path, user), text)
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
