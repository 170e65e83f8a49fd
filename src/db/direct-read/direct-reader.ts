import type { SqlDriverAdapter, SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import type { Datamodel, Model } from '../datamodel.ts';
import { compileFind, type CompiledFind, type FindMethod } from './compile-find.ts';
import { createTables } from './tables.ts';

/** Runs a find as one SQL statement on the client's driver adapter; undefined where Prisma must. */
export interface DirectReader {
  find(model: Model, method: FindMethod, args?: Record<string, any>): Promise<unknown> | undefined;
}

export interface DirectReadOptions {
  datamodel: Datamodel;
  /** The PostgreSQL schema of the tables (the URL's `?schema=`). */
  schema?: string;
  /** Told of every statement, as Prisma's query event is. */
  onQuery?: (event: { query: string; params: string; duration: number }) => void;
}

const readers = new WeakMap<object, DirectReader>();

/** The direct reader of a client made by createDb; none for transaction clients, which Prisma runs. */
export const directReaderOf = (client: object): DirectReader | undefined => readers.get(client);
export const attachDirectReader = (client: object, reader: DirectReader) => void readers.set(client, reader);

/**
 * A reader on the adapter that `factory` connects, and the factory to hand Prisma's client in its
 * place: the reader uses the connection pool Prisma's client opened (none before its first query,
 * none after `$disconnect`), so both share one pool, one `statement_timeout` and one statement count.
 */
export function createDirectReader(factory: SqlMigrationAwareDriverAdapterFactory, options: DirectReadOptions) {
  const tables = createTables(options.datamodel, options.schema);
  let adapter: SqlDriverAdapter | undefined;
  const connect = async () => {
    const connected = await factory.connect();
    const dispose = connected.dispose.bind(connected);
    connected.dispose = () => {
      if (adapter === connected) adapter = undefined;
      return dispose();
    };
    return (adapter = connected);
  };
  const watched: SqlMigrationAwareDriverAdapterFactory = Object.create(factory, { connect: { value: connect } });

  const run = async (model: Model, method: FindMethod, on: SqlDriverAdapter, find: CompiledFind) => {
    const started = performance.now();
    let result;
    try {
      result = await on.queryRaw(find);
    } catch (error) {
      throw asPrismaError(error, model);
    } finally {
      options.onQuery?.({ query: find.sql, params: JSON.stringify(find.args), duration: performance.now() - started });
    }
    const convert = find.fields.map((f) => tables.fromColumn(f));
    const rows = result.rows.map((values) => {
      const row: Record<string, unknown> = {};
      for (let i = 0; i < find.fields.length; i++) row[find.fields[i]!.name] = convert[i]!(values[i]);
      return row;
    });
    return method === 'findMany' ? rows : (rows[0] ?? null);
  };

  const reader: DirectReader = {
    find(model, method, args) {
      const on = adapter;
      const find = on && compileFind(tables, model, method, args);
      return find ? run(model, method, on, find) : undefined;
    },
  };
  return { factory: watched, reader };
}

/** A driver error as Prisma's client reports it, so translatePrismaError reads it the same way. */
function asPrismaError(error: unknown, model: Model): Error {
  const message = error instanceof Error ? error.message : String(error);
  return Object.assign(new Error(message), { name: 'PrismaClientKnownRequestError', meta: { modelName: model.name, driverAdapterError: error }, cause: error });
}
