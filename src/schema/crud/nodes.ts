import { queryFromInfo } from '@pothos/plugin-prisma';
import type { GraphQLResolveInfo } from 'graphql';
import { delegateName, primaryKeyFields, type Field, type Model } from '../../db/index.ts';
import { badInput } from '../../errors.ts';
import type { Kit } from './kit.ts';
import { compoundKey } from './where.ts';

/**
 * Relay's object identification without touching the models' own `id` fields: every model type
 * implements `interface Node { nodeId: ID! }`, and `node(id:)` / `nodes(ids:)` fetch any
 * row by it. A node id is opaque to clients: base64url of `["Model", ...primary key values]`, so
 * composite keys survive (`["StockLevel","W1","SKU-1"]`). Reads go through `ctx.db`, so a row the
 * viewer may not read is `null`, exactly like `post(where:)`.
 */
export const nodeIdField = 'nodeId';

type Row = Record<string, unknown>;

/** The models that implement Node (all, except one that has a field of its own named `nodeId`). */
export const nodeModels = (kit: Kit) => kit.datamodel.models.filter((m) => !m.fields.some((f) => f.name === nodeIdField));

const wire = (value: unknown) =>
  typeof value === 'bigint' ? String(value) : value instanceof Date ? value.toISOString() : value instanceof Uint8Array ? Buffer.from(value).toString('base64') : value;

export function encodeNodeId(model: Model, row: Row): string {
  return Buffer.from(JSON.stringify([model.name, ...primaryKeyFields(model).map((f) => wire(row[f]))])).toString('base64url');
}

/** Parses one key value back to what Prisma takes, or undefined when it does not fit the field. */
function keyValue(field: Field, value: unknown): unknown {
  switch (field.type) {
    case 'Int':
      return Number.isSafeInteger(value) ? value : undefined;
    case 'Float':
      return typeof value === 'number' ? value : undefined;
    case 'BigInt':
      return typeof value === 'string' && /^-?\d+$/.test(value) ? BigInt(value) : undefined;
    case 'DateTime': {
      const date = typeof value === 'string' ? new Date(value) : undefined;
      return date && !Number.isNaN(date.getTime()) ? date : undefined;
    }
    case 'Boolean':
      return typeof value === 'boolean' ? value : undefined;
    case 'Bytes':
      return typeof value === 'string' ? new Uint8Array(Buffer.from(value, 'base64')) : undefined;
    default:
      return typeof value === 'string' ? value : undefined; // String, Decimal, enums
  }
}

/** `{ model, where }` for a node id, or BAD_USER_INPUT naming what is wrong with it. */
export function decodeNodeId(kit: Kit, id: string): { model: Model; where: Row } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(id, 'base64url').toString('utf8'));
  } catch {
    parsed = undefined;
  }
  const [name, ...values] = Array.isArray(parsed) ? parsed : [];
  const model = typeof name === 'string' ? nodeModels(kit).find((m) => m.name === name) : undefined;
  if (!model) throw badInput(`Not a node id of this API: ${JSON.stringify(id)}`, { argument: 'id' });
  const keys = primaryKeyFields(model).map((f) => model.fields.find((field) => field.name === f)!);
  const parsedValues = keys.map((field, i) => keyValue(field, values[i]));
  if (values.length !== keys.length || parsedValues.some((v) => v === undefined)) {
    throw badInput(`Node id ${JSON.stringify(id)} does not hold a ${model.name} key (${keys.map((k) => k.name).join(', ')})`, { argument: 'id' });
  }
  const where =
    keys.length === 1
      ? { [keys[0]!.name]: parsedValues[0] }
      : { [compoundKey(model, keys.map((k) => k.name))]: Object.fromEntries(keys.map((k, i) => [k.name, parsedValues[i]])) };
  return { model, where };
}

/** The Node interface; registered before the model types, which list it among their interfaces. */
export function registerNodeInterface(kit: Kit): unknown {
  const models = new Map(nodeModels(kit).map((m) => [m.name, m]));
  const typeOf = new WeakMap<object, string>();
  const node = kit.builder.interfaceRef<Row>('Node').implement({
    description: 'A row of any model, fetched again by its `nodeId` with `node(id:)` (Relay object identification).',
    resolveType: (row) => typeOf.get(row) ?? null,
    fields: (t) => ({
      [nodeIdField]: t.id({
        description: 'A globally unique, opaque id: the model and its primary key (composite keys included).',
        resolve: (row, _args, _ctx, info) => encodeNodeId(models.get(info.parentType.name)!, row),
      }),
    }),
  });

  const load = async (id: string, ctx: any, info: GraphQLResolveInfo) => {
    const { model, where } = decodeNodeId(kit, id);
    const query = queryFromInfo({ context: ctx, info, typeName: model.name }) as object;
    const row = (await ctx.db[delegateName(model)].findUnique({ ...query, where })) as Row | null;
    if (row) typeOf.set(row, model.name);
    return row;
  };
  kit.builder.queryFields((t: any) => ({
    node: t.field({
      type: node,
      nullable: true,
      description: 'Any row by its `nodeId`; null when there is none or you may not read it.',
      args: { id: t.arg.id({ required: true, description: 'A `nodeId`.' }) },
      resolve: (_root: unknown, args: { id: string }, ctx: any, info: GraphQLResolveInfo) => load(args.id, ctx, info),
    }),
    nodes: t.field({
      type: [node],
      nullable: { list: false, items: true },
      description: `Rows by their \`nodeId\`s (at most ${kit.maxPageSize}), in the order asked; null for each there is none of or you may not read.`,
      args: { ids: t.arg.idList({ required: true, description: '`nodeId`s.' }) },
      resolve: (_root: unknown, args: { ids: string[] }, ctx: any, info: GraphQLResolveInfo) => {
        if (args.ids.length > kit.maxPageSize) {
          throw badInput(`ids takes at most ${kit.maxPageSize} node ids, got ${args.ids.length}`, { argument: 'ids' });
        }
        return Promise.all(args.ids.map((id) => load(id, ctx, info)));
      },
    }),
  }));
  return node;
}
