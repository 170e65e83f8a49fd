import { GraphQLScalarType, Kind, type ObjectFieldNode, type ValueNode } from 'graphql';
import { badInput } from '../errors.ts';
import { parseBigInt, parseDecimal } from './scalars.ts';

/** Prisma's atomic operations on a number field (`{ increment: 1 }`), besides a plain value. */
export const numberUpdateOps = ['set', 'increment', 'decrement', 'multiply', 'divide'] as const;

const isZero = (value: unknown) => (typeof value === 'bigint' ? value === 0n : Number(value) === 0);

function parseInt32(value: unknown): number {
  if (typeof value === 'number' && Number.isInteger(value) && value >= -(2 ** 31) && value < 2 ** 31) return value;
  throw badInput(`Int expects a 32-bit integer, got ${JSON.stringify(value)}`);
}

function parseFloatValue(value: unknown): number {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  throw badInput(`Float expects a finite number, got ${JSON.stringify(value)}`);
}

/**
 * `IntUpdate` for an Int field of an update input: a plain value sets it (as before), or an
 * object with exactly one of `set increment decrement multiply divide` (Prisma's vocabulary)
 * is applied by the database to the stored value, so concurrent increments never lose one.
 */
function numberUpdate(type: string, parse: (value: unknown) => unknown, example: string): GraphQLScalarType {
  const parseValue = (value: unknown): unknown => {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return parse(value);
    const entries = Object.entries(value as Record<string, unknown>);
    const [op, operand] = entries[0] ?? [];
    if (entries.length !== 1 || !(numberUpdateOps as readonly string[]).includes(op!)) {
      throw badInput(`${type}Update expects a ${type} or an object with exactly one of ${numberUpdateOps.join(', ')}; got ${JSON.stringify(value, bigintText)}`);
    }
    if (operand === null) throw badInput(`${type}Update: ${op} needs a ${type}, got null (send null itself to clear a nullable field)`);
    const parsed = parse(operand);
    if (op === 'divide' && isZero(parsed)) throw badInput(`${type}Update: divide by zero`);
    return { [op!]: parsed };
  };
  return new GraphQLScalarType({
    name: `${type}Update`,
    description: `${/^[AEIOU]/.test(type) ? 'An' : 'A'} ${type}, or one atomic operation on the stored value: \`{ set | increment | decrement | multiply | divide: ${example} }\`.`,
    serialize: () => {
      throw new Error(`${type}Update is an input type`);
    },
    parseValue,
    parseLiteral: (ast, variables) => parseValue(literal(ast, variables)),
  });
}

const bigintText = (_key: string, value: unknown) => (typeof value === 'bigint' ? String(value) : value);

// Ints and floats keep their JSON form so each parser sees what a variable would hold; Decimal
// and BigInt literals may be strings or numbers, which their parsers take either way.
function literal(ast: ValueNode, variables?: Record<string, unknown> | null): unknown {
  switch (ast.kind) {
    case Kind.INT:
    case Kind.FLOAT:
      return ast.kind === Kind.INT && !Number.isSafeInteger(Number(ast.value)) ? ast.value : Number(ast.value);
    case Kind.STRING:
      return ast.value;
    case Kind.NULL:
      return null;
    case Kind.VARIABLE:
      return variables?.[ast.name.value];
    case Kind.OBJECT:
      return Object.fromEntries(ast.fields.map((f: ObjectFieldNode) => [f.name.value, literal(f.value, variables)]));
    default:
      return undefined;
  }
}

export const numberUpdateScalars = [
  numberUpdate('Int', parseInt32, 'Int'),
  numberUpdate('Float', parseFloatValue, 'Float'),
  numberUpdate('Decimal', parseDecimal, '"1.5"'),
  numberUpdate('BigInt', parseBigInt, '"1"'),
];

/** The update-input scalar of a number field's GraphQL type, if it takes atomic operations. */
export const numberUpdateType = (graphqlType: string): string | undefined =>
  ['Int', 'Float', 'Decimal', 'BigInt'].includes(graphqlType) ? `${graphqlType}Update` : undefined;
