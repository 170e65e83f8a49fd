import { badInput, conflict, notFound, type CairnError } from '../errors.ts';

interface PrismaLikeError {
  name?: string;
  code?: string;
  message: string;
  meta?: Record<string, any>;
}

/**
 * The one place Prisma's errors become client errors: unique violations are CONFLICT naming the
 * fields, missing rows NOT_FOUND, broken references and invalid arguments BAD_USER_INPUT.
 * Returns undefined for anything else (which is then masked as an internal error).
 */
export function translatePrismaError(error: unknown): CairnError | undefined {
  const e = error as PrismaLikeError;
  if (e?.name === 'PrismaClientValidationError') return badInput(validationMessage(e.message));
  if (e?.name !== 'PrismaClientKnownRequestError') return undefined;
  const model = e.meta?.modelName as string | undefined;
  const cause = e.meta?.driverAdapterError?.cause;
  const fields: string[] | undefined = cause?.constraint?.fields ?? asList(e.meta?.target);
  switch (e.code) {
    case 'P2002':
      return conflict(`A ${model ?? 'row'} with this ${fields?.join(', ') ?? 'unique value'} already exists`, {
        model,
        fields,
      });
    case 'P2025':
    case 'P2018':
    case 'P2015':
    case 'P2001':
      return notFound(firstSentence(e.meta?.cause ?? e.message, `No ${model ?? 'row'} matches the given where`), { model });
    case 'P2003': {
      const constraint = cause?.constraint?.index ?? cause?.constraint?.fields?.join(', ') ?? e.meta?.field_name;
      return badInput(`Foreign key constraint violated${constraint ? ` (${constraint})` : ''}: the referenced row does not exist or is still referenced`, {
        model,
        constraint,
      });
    }
    case 'P2014':
      return badInput(`The change would break the required relation ${e.meta?.relation_name ?? ''} of ${model ?? 'a row'}`.trim(), { model });
    case 'P2000':
    case 'P2011':
    case 'P2012':
    case 'P2019':
    case 'P2020':
    case 'P2033':
      return badInput(firstSentence(e.message, 'Invalid value'), { model });
    default:
      return undefined;
  }
}

const asList = (value: unknown) => (Array.isArray(value) ? (value as string[]) : typeof value === 'string' ? [value] : undefined);

function firstSentence(message: string, fallback: string): string {
  const line = message.split('\n').map((l) => l.trim()).filter(Boolean).pop();
  return line || fallback;
}

/** Prisma's validation errors draw the whole query; clients need only the closing explanation. */
function validationMessage(message: string): string {
  const lines = message.split('\n').map((l) => l.trim()).filter(Boolean);
  const explanation = lines.findLast((l) => /^(Argument|Unknown|Invalid|Missing|Expected|Value|Inconsistent)/.test(l));
  return explanation ?? lines.at(-1) ?? 'Invalid arguments';
}
