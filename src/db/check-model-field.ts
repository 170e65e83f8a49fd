import type { Field, Model } from './datamodel.ts';

/** A field Cairn's own code reads and writes on an app-declared model (auth's, notifications'). */
export interface FieldRule {
  name: string;
  type: string;
  /** How to declare it, quoted in the error. */
  hint: string;
  optional?: boolean;
  check?: (field: Field) => boolean;
}

/** What is wrong with `model`'s field for `rule`, as boot-error lines naming the field and how to declare it (none: fine). */
export function checkModelField(model: Model, rule: FieldRule): string[] {
  const field = model.fields.find((f) => f.name === rule.name);
  const where = `${model.name}.${rule.name}`;
  if (!field) return [`${where}: missing; add \`${rule.hint}\``];
  const typeOk = field.type === rule.type && !field.isList && field.isRequired === !rule.optional;
  if (!typeOk || (rule.check && !rule.check(field))) {
    const found = `${field.type}${field.isList ? '[]' : field.isRequired ? '' : '?'}`;
    return [`${where}: expected \`${rule.hint}\`, found ${found}${typeOk ? ' without the attribute' : ''}`];
  }
  return [];
}
