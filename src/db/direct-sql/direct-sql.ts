import type { SqlDriverAdapter, SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import type { Datamodel, Field, Model } from '../datamodel.ts';
import { compileFind, type CompiledStatement, type FindMethod } from './compile-find.ts';
import { compileAggregate } from './compile-aggregate.ts';
import { compileUpdate, type UpdateStatement } from './compile-update.ts';
import type { Statement } from './compile-where.ts';
import { createTables } from './tables.ts';

/** Runs a find or an update as one SQL statement on the client's driver adapter; undefined where Prisma must. */
export interface DirectSql {
  find(model: Model, method: FindMethod, args?: Record<string, any>): Promise<unknown> | undefined;
  /**
   * `update({ where, data, select })`: the row as updated, or null when no row matched or the
   * database refused the values (a constraint, a value out of range): the statement changed
   * nothing, and Prisma's client, run again, answers with its own error.
   */
  update(model: Model, args: Record<string, any>): Promise<Record<string, unknown> | null> | undefined;
  /** `update`, and the row as it was before (every column), from the same statement. */
  updateReturningBefore(model: Model, args: Record<string, any>): Promise<{ before: Record<string, unknown>; after: Record<string, unknown> } | null> | undefined;
  /** `count({ where })` or `aggregate({ where, _count, _sum, _avg, _min, _max })`, as Prisma answers it. */
  aggregate(model: Model, method: 'count' | 'aggregate', args?: Record<string, any>): Promise<unknown> | undefined;
}

export interface DirectSqlOptions {
  datamodel: Datamodel;
  /** The PostgreSQL schema of the tables (the URL's `?schema=`). */
  schema?: string;
  /** Told of every statement, as Prisma's query event is. */
  onQuery?: (event: { query: string; params: string; duration: number }) => void;
}

const attached = new WeakMap<object, DirectSql>();

/** The direct SQL of a client made by createDb; none for transaction clients, which Prisma runs. */
export const directSqlOf = (client: object): DirectSql | undefined => attached.get(client);
export const attachDirectSql = (client: object, sql: DirectSql) => void attached.set(client, sql);

/**
 * Direct SQL on the adapter that `factory` connects, and the factory to hand Prisma's client in
 * its place: the statements use the connection pool Prisma's client opened (none before its first query,
 * none after `$disconnect`), so both share one pool, one `statement_timeout` and one statement count.
 */
export function createDirectSql(factory: SqlMigrationAwareDriverAdapterFactory, options: DirectSqlOptions) {
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

  const query = async (model: Model, on: SqlDriverAdapter, statement: Statement) => {
    const started = performance.now();
    try {
      return (await on.queryRaw(statement)).rows;
    } catch (error) {
      throw asPrismaError(error, model);
    } finally {
      options.onQuery?.({ query: statement.sql, params: JSON.stringify(statement.args), duration: performance.now() - started });
    }
  };
  /** Turns result columns `from`…`to` of a statement's rows into Prisma's values, by field name (the conversions looked up once). */
  const rowsOf = (fields: Field[], from = 0, to = fields.length) => {
    const convert = fields.map((f) => tables.fromColumn(f));
    return (values: unknown[]) => {
      const row: Record<string, unknown> = {};
      for (let i = from; i < to; i++) row[fields[i]!.name] = convert[i]!(values[i]);
      return row;
    };
  };
  const run = async (model: Model, on: SqlDriverAdapter, statement: CompiledStatement) => (await query(model, on, statement)).map(rowsOf(statement.fields));
  /** An UPDATE's one row (its values, unconverted), or null when none matched or the database refused the values. */
  const write = (model: Model, on: SqlDriverAdapter, statement: UpdateStatement) =>
    query(model, on, statement).then((rows) => rows[0] ?? null, (error) => (refusedValues(error) ? null : Promise.reject(error)));

  const sql: DirectSql = {
    find(model, method, args) {
      const on = adapter;
      const find = on && compileFind(tables, model, method, args);
      return find ? run(model, on, find).then((rows) => (method === 'findMany' ? rows : (rows[0] ?? null))) : undefined;
    },
    update(model, args) {
      const on = adapter;
      const update = on && compileUpdate(tables, model, args);
      return update ? write(model, on, update).then((values) => values && rowsOf(update.fields)(values)) : undefined;
    },
    updateReturningBefore(model, args) {
      const on = adapter;
      const update = on && compileUpdate(tables, model, args, true);
      if (!update) return undefined;
      const { fields, before } = update;
      return write(model, on, update).then((values) => values && { before: rowsOf(fields, 0, before)(values), after: rowsOf(fields, before)(values) });
    },
    aggregate(model, method, args) {
      const on = adapter;
      const aggregate = on && compileAggregate(tables, model, method, args);
      return aggregate ? query(model, on, aggregate).then((rows) => aggregate.result(rows[0]!)) : undefined;
    },
  };
  return { factory: watched, sql };
}

/** SQLSTATE classes 22 (data exception) and 23 (integrity constraint violation): the values, not the database. */
const refusedValues = (error: { meta?: { driverAdapterError?: { cause?: { originalCode?: unknown } } } }) =>
  /^2[23]/.test(String(error.meta?.driverAdapterError?.cause?.originalCode));

/** A driver error as Prisma's client reports it, so translatePrismaError reads it the same way. */
function asPrismaError(error: unknown, model: Model): Error {
  const message = error instanceof Error ? error.message : String(error);
  return Object.assign(new Error(message), { name: 'PrismaClientKnownRequestError', meta: { modelName: model.name, driverAdapterError: error }, cause: error });
}
