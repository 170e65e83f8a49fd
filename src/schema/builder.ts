import SchemaBuilder from '@pothos/core';
import PrismaPlugin from '@pothos/plugin-prisma';
import RelayPlugin from '@pothos/plugin-relay';
import type { Datamodel } from '../db/index.ts';
import type { Context } from './context.ts';
import { numberUpdateScalars } from './number-updates.ts';
import { customScalars } from './scalars.ts';

/**
 * The builder is typed loosely on purpose: models come from datamodel.json at run time, so no
 * model-specific TypeScript types exist; the generated schema is checked by tests instead.
 */
export interface CairnSchemaTypes {
  Context: Context;
  PrismaTypes: Record<string, any>;
  DefaultFieldNullability: false;
  Scalars: {
    DateTime: { Input: Date; Output: Date | string };
    JSON: { Input: unknown; Output: unknown };
    Decimal: { Input: string; Output: unknown };
    BigInt: { Input: bigint; Output: bigint | string };
    Bytes: { Input: Uint8Array; Output: Uint8Array };
  };
}

export type Builder = PothosSchemaTypes.SchemaBuilder<PothosSchemaTypes.ExtendDefaultTypes<CairnSchemaTypes>>;

export interface BuilderOptions {
  datamodel: Datamodel;
  /** The most rows a connection page returns. */
  maxPageSize: number;
}

export function createBuilder({ datamodel, maxPageSize }: BuilderOptions): Builder {
  const builder = new SchemaBuilder<CairnSchemaTypes>({
    plugins: [PrismaPlugin, RelayPlugin],
    defaultFieldNullability: false,
    prisma: {
      client: (ctx) => ctx.db as never,
      dmmf: { datamodel: { models: Object.fromEntries(datamodel.models.map((m) => [m.name, m])) } },
      filterConnectionTotalCount: true,
      maxConnectionSize: maxPageSize,
      defaultConnectionSize: Math.min(20, maxPageSize),
    },
    relay: {
      clientMutationId: 'omit',
      cursorType: 'String',
      nodeQueryOptions: false,
      nodesQueryOptions: false,
      nodeFieldOptions: { nullable: false },
    },
  });
  for (const scalar of [...customScalars, ...numberUpdateScalars]) builder.addScalarType(scalar.name as never, scalar, {});
  return builder as unknown as Builder;
}
