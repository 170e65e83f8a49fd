import { badInput, CairnError, conflict, notFound, serviceUnavailable } from '../errors.ts';
import { foreignKeyFields, uniqueFieldSets, type Datamodel } from './datamodel.ts';

interface PrismaLikeError {
  name?: string;
  code?: string;
  message: string;
  meta?: Record<string, any>;
}

/**
 * The one place Prisma's errors become client errors: unique violations are CONFLICT naming the
 * fields, missing rows NOT_FOUND, broken references and invalid arguments BAD_USER_INPUT.
 * Returns undefined for anything else (which is then masked as an internal error). With the
 * `datamodel`, constraints the driver reports only by name are traced back to their fields.
 */
export function translatePrismaError(error: unknown, datamodel?: Datamodel): CairnError | undefined {
  if (isDatabaseUnreachable(error)) return serviceUnavailable('The database cannot be reached right now; retry shortly.');
  const e = error as PrismaLikeError;
  if (e?.name === 'PrismaClientValidationError') return badInput(validationMessage(e.message));
  if (e?.name !== 'PrismaClientKnownRequestError') return undefined;
  const model = e.meta?.modelName as string | undefined;
  const cause = e.meta?.driverAdapterError?.cause;
  // PostgreSQL's driver reports only the constraint's name (`Category_name_parentId_key`).
  const index = cause?.constraint?.index as string | undefined;
  const fields: string[] | undefined =
    cause?.constraint?.fields ?? asList(e.meta?.target) ?? constraintFields(datamodel, model, index);
  switch (e.code) {
    case 'P2002': {
      const constraint = cause?.constraint?.fields ? undefined : index;
      const what = fields?.join(', ') ?? 'unique value';
      const named = constraint ? ` (constraint ${constraint})` : '';
      return conflict(`A ${model ?? 'row'} with this ${what} already exists${named}`, { model, fields, constraint });
    }
    case 'P2025':
    case 'P2018':
    case 'P2015':
    case 'P2001':
    case 'P2017': // a nested delete/disconnect of a row that is not related
      return notFound(lastLine(e.meta?.cause ?? e.message, `No ${model ?? 'row'} matches the given where`), { model });
    case 'P2003': {
      const constraint = index ?? cause?.constraint?.fields?.join(', ') ?? e.meta?.field_name;
      // SQLite names no constraint: name the foreign keys the row holds instead.
      const keys = fields ?? foreignKeysOf(datamodel, model);
      const on = [
        model && ` on ${model}${keys ? ` (${keys.join(' or ')})` : ''}`,
        constraint && constraint !== keys?.join(', ') && ` constraint ${constraint}`,
      ].filter(Boolean);
      return badInput(`Foreign key constraint violated${on.join(',')}: the referenced row does not exist or is still referenced`, {
        model,
        constraint,
        fields: keys,
      });
    }
    case 'P2014': {
      // Prisma names the relation `relation_name` for to-one changes and `relation` for to-many ones.
      const relation = (e.meta?.relation_name ?? e.meta?.relation) as string | undefined;
      return badInput(`The change would break the required relation ${relation ? `${relation} ` : ''}of ${model ?? 'a row'}`, { model, relation });
    }
    case 'P2029':
      return badInput(
        'The operation needs more query parameters than the database accepts in one statement: use fewer values in `in`/`notIn` lists (or fewer rows per createMany).',
        { model },
      );
    case 'P2000':
    case 'P2011':
    case 'P2012':
    case 'P2019':
    case 'P2020':
    case 'P2033':
      return badInput(lastLine(e.message, 'Invalid value'), { model });
    default:
      // PostgreSQL's statement_timeout (set to CAIRN_REQUEST_TIMEOUT_MS) cancelled the statement.
      if (cause?.originalCode === '57014') {
        return new CairnError('TIMEOUT', 'The database stopped a statement that ran past the time limit (CAIRN_REQUEST_TIMEOUT_MS).', { model });
      }
      // SQLite refuses LIKE patterns over 50,000 bytes (SQLITE_MAX_LIKE_PATTERN_LENGTH).
      if (/LIKE or GLOB pattern too complex/.test(cause?.originalMessage ?? cause?.message ?? '')) {
        return badInput('The text to match (contains/startsWith/endsWith) is too long for the database.', { model });
      }
      return undefined;
  }
}

/** The fields behind a constraint with Prisma's default name: `Post_pkey`, `Post_slug_key`, `Post_authorId_fkey`. */
function constraintFields(datamodel: Datamodel | undefined, modelName: string | undefined, constraint: string | undefined) {
  const model = modelOf(datamodel, modelName);
  if (!model || !constraint) return undefined;
  const table = model.dbName ?? model.name;
  const column = (name: string) => (model.fields.find((f) => f.name === name) as { dbName?: string | null } | undefined)?.dbName ?? name;
  const named = (fields: readonly string[], suffix: string) => `${table}_${fields.map(column).join('_')}_${suffix}`;
  const primaryKey = model.primaryKey?.fields ?? model.fields.filter((f) => f.isId).map((f) => f.name);
  if (constraint === `${table}_pkey`) return [...primaryKey];
  const unique = uniqueFieldSets(model).find((set) => named(set, 'key') === constraint);
  const foreign = model.fields.find((f) => f.relationFromFields?.length && named(f.relationFromFields, 'fkey') === constraint);
  return unique ?? foreign?.relationFromFields ?? undefined;
}

function foreignKeysOf(datamodel: Datamodel | undefined, modelName: string | undefined) {
  const model = modelOf(datamodel, modelName);
  const keys = model ? [...foreignKeyFields(model)] : [];
  return keys.length ? keys : undefined;
}

const modelOf = (datamodel: Datamodel | undefined, name: string | undefined) => datamodel?.models.find((m) => m.name === name);

const asList = (value: unknown) => (Array.isArray(value) ? (value as string[]) : typeof value === 'string' ? [value] : undefined);

/**
 * Prisma's messages end with the sentence that explains them. Its framing (`Invalid
 * \`prisma.post.findUnique()\` invocation:`, code frames) names Cairn's internals, never the client's
 * request: such lines are dropped, and the fallback stands when nothing else is left.
 */
function lastLine(message: string, fallback: string): string {
  const line = message.split('\n').map((l) => l.trim()).filter((l) => l && !isPrismaFraming(l)).pop();
  return line || fallback;
}

const isPrismaFraming = (line: string) => /invocation|prisma\.|^→|^\d+\s*[|│]|\bat\s+\S+\s*\(/i.test(line);

/** Prisma's validation errors draw the whole query; clients need only the closing explanation. */
function validationMessage(message: string): string {
  const lines = message.split('\n').map((l) => l.trim()).filter(Boolean);
  const explanation = lines.findLast((l) => /^(Argument|Unknown|Invalid|Missing|Expected|Value|Inconsistent)/.test(l) && !isPrismaFraming(l));
  return explanation ?? lines.filter((l) => !isPrismaFraming(l)).at(-1) ?? 'Invalid arguments';
}

// Node's socket errors, PostgreSQL's connection-exception and shutdown states, Prisma's own codes and driver-adapter kinds.
const unreachableCodes = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'EPIPE', '57P01', '57P02', '57P03', '53300', 'P1001', 'P1002', 'P1017']);
const unreachableKinds = new Set(['DatabaseNotReachable', 'ConnectionClosed', 'SocketTimeout', 'TooManyConnections']);
const unreachableMessage = /Connection terminated|timeout exceeded when trying to connect|Can't reach database|connection (?:is )?closed|server closed the connection|Connection refused/i;

/**
 * Whether the error says the database is unreachable (down, restarting, network cut, pool unable to
 * connect) rather than that the request was wrong: such errors are retryable, SERVICE_UNAVAILABLE.
 * pg's own errors can arrive unwrapped (a pooled connection cut mid-query), so the whole cause chain is read.
 */
export function isDatabaseUnreachable(error: unknown): boolean {
  for (let e: any = error, depth = 0; e && depth < 5; e = e.cause ?? e.meta?.driverAdapterError?.cause, depth++) {
    if (e.name === 'PrismaClientInitializationError') return true;
    if (unreachableCodes.has(String(e.code ?? e.originalCode ?? e.errorCode ?? ''))) return true;
    if (unreachableKinds.has(String(e.kind ?? ''))) return true;
    if (typeof e.message === 'string' && unreachableMessage.test(e.message)) return true;
    if (Array.isArray(e.errors) && e.errors.some((inner: unknown) => isDatabaseUnreachable(inner))) return true;
  }
  return false;
}
