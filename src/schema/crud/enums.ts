import { scalarFields } from '../../db/index.ts';
import { names } from '../names.ts';
import type { Kit } from './kit.ts';

/** Prisma enums, sort orders, query mode and one `<Model>ScalarField` enum per model. */
export function registerEnums({ builder, datamodel }: Kit): void {
  for (const e of datamodel.enums) {
    builder.enumType(e.name, { values: e.values, description: e.documentation });
  }
  builder.enumType('SortOrder', { values: ['asc', 'desc'] as const });
  builder.enumType('NullableSortOrder', {
    description: 'Sort order for a nullable field; the `_nulls_` forms say where nulls go.',
    values: ['asc', 'desc', 'asc_nulls_first', 'asc_nulls_last', 'desc_nulls_first', 'desc_nulls_last'] as const,
  });
  builder.enumType('QueryMode', {
    description: 'How string filters compare: `insensitive` ignores case (on SQLite, ASCII case, and only with contains/startsWith/endsWith).',
    values: ['default', 'insensitive'] as const,
  });
  for (const model of datamodel.models) {
    builder.enumType(names.scalarFieldEnum(model.name), { values: scalarFields(model).map((f) => f.name) });
  }
}
