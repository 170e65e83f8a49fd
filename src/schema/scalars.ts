import { GraphQLScalarType, Kind, type ValueNode } from 'graphql';
import { badInput } from '../errors.ts';

/** GraphQL scalar for every Prisma scalar without a built-in counterpart, keyed by Prisma type. */
export const prismaScalarTypes = {
  String: 'String',
  Boolean: 'Boolean',
  Int: 'Int',
  Float: 'Float',
  DateTime: 'DateTime',
  Json: 'JSON',
  Decimal: 'Decimal',
  BigInt: 'BigInt',
  Bytes: 'Bytes',
} as const;
export type PrismaScalar = keyof typeof prismaScalarTypes;

const literalOrValue = (parse: (value: unknown) => unknown) => (ast: ValueNode) =>
  parse(ast.kind === Kind.STRING || ast.kind === Kind.INT || ast.kind === Kind.FLOAT ? ast.value : undefined);

const DateTime = new GraphQLScalarType({
  name: 'DateTime',
  description: 'An ISO-8601 date-time string in UTC, e.g. `2026-01-31T12:00:00.000Z`.',
  serialize: (value) => (value instanceof Date ? value : new Date(value as string)).toISOString(),
  parseValue: parseDate,
  parseLiteral: (ast) => parseDate(ast.kind === Kind.STRING ? ast.value : undefined),
});

// A date, or a date-time with its zone: without one, `Date` would read it in the server's local time.
const isoDateTime = /^(\d{4})-(\d{2})-(\d{2})(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2}))?$/;

function parseDate(value: unknown): Date {
  const [, year, month, day] = (typeof value === 'string' && isoDateTime.exec(value)) || [];
  const date = day ? new Date(value as string) : undefined;
  // `Date` rolls impossible days over (Feb 30 becomes Mar 1); a typo must not become another day.
  const daysInMonth = new Date(Date.UTC(Number(year), Number(month), 0)).getUTCDate();
  if (!date || Number.isNaN(date.getTime()) || Number(day) > daysInMonth) {
    throw badInput(`DateTime expects an ISO-8601 string, got ${JSON.stringify(value)}`);
  }
  return date;
}

const Decimal = new GraphQLScalarType({
  name: 'Decimal',
  description: 'An exact decimal number, sent as a string (e.g. `"19.99"`) to keep its precision.',
  serialize: (value) => String(value),
  parseValue: parseDecimal,
  parseLiteral: literalOrValue(parseDecimal),
});

export function parseDecimal(value: unknown): string {
  const text = typeof value === 'number' ? String(value) : value;
  if (typeof text !== 'string' || !/^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(text)) {
    throw badInput(`Decimal expects a number as a string like "19.99", got ${JSON.stringify(value)}`);
  }
  return text;
}

const BigIntScalar = new GraphQLScalarType({
  name: 'BigInt',
  description: 'A 64-bit integer, sent as a string (e.g. `"9007199254740993"`) since JSON numbers lose precision.',
  serialize: (value) => String(value),
  parseValue: parseBigInt,
  parseLiteral: literalOrValue(parseBigInt),
});

export function parseBigInt(value: unknown): bigint {
  if ((typeof value === 'string' && /^-?\d+$/.test(value)) || Number.isSafeInteger(value)) {
    return BigInt(value as string | number);
  }
  throw badInput(`BigInt expects an integer or a string of digits, got ${JSON.stringify(value)}`);
}

const Bytes = new GraphQLScalarType({
  name: 'Bytes',
  description: 'Binary data, sent as a base64 string.',
  serialize: (value) => Buffer.from(value as Uint8Array).toString('base64'),
  parseValue: parseBytes,
  parseLiteral: (ast) => parseBytes(ast.kind === Kind.STRING ? ast.value : undefined),
});

function parseBytes(value: unknown): Uint8Array {
  if (typeof value !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(value) || value.length % 4 !== 0) {
    throw badInput(`Bytes expects a base64 string, got ${JSON.stringify(value)}`);
  }
  return new Uint8Array(Buffer.from(value, 'base64'));
}

const JSONScalar = new GraphQLScalarType({
  name: 'JSON',
  description: 'Any JSON value.',
  serialize: (value) => value,
  parseValue: (value) => value,
  parseLiteral: function parse(ast, variables): unknown {
    switch (ast.kind) {
      case Kind.STRING:
      case Kind.BOOLEAN:
        return ast.value;
      case Kind.INT:
      case Kind.FLOAT:
        return Number(ast.value);
      case Kind.NULL:
        return null;
      case Kind.LIST:
        return ast.values.map((v) => parse(v, variables));
      case Kind.OBJECT:
        return Object.fromEntries(ast.fields.map((f) => [f.name.value, parse(f.value, variables)]));
      case Kind.VARIABLE:
        return variables?.[ast.name.value];
      default:
        throw badInput(`JSON cannot hold a ${ast.kind}`);
    }
  },
});

export const customScalars = [DateTime, JSONScalar, Decimal, BigIntScalar, Bytes];
