import type { Datamodel, Model } from '../../db/index.ts';
import type { Annotation } from './ast.ts';
import type { Cond } from './cond.ts';
import { parseAnnotation } from './parse-rule.ts';
import { defaultViewerFields, resolveExpression, type ViewerFields } from './resolve-expression.ts';
import { RuleError, RuleSyntaxError, type RuleLocation } from './rule-error.ts';

export const modelOperations = ['read', 'create', 'update', 'post-update', 'delete'] as const;
export const fieldOperations = ['read', 'update'] as const;
export type ModelOperation = (typeof modelOperations)[number];
export type FieldOperation = (typeof fieldOperations)[number];

/** One `@@allow`/`@@deny`/`@allow`/`@deny` annotation, checked against the datamodel. */
export interface Rule {
  effect: 'allow' | 'deny';
  cond: Cond;
  /** The annotation as written: `@@allow("read", published)`. */
  text: string;
  /** Its condition as written: `published`. */
  source: string;
  location: RuleLocation;
}

export interface RuleSet {
  allow: Rule[];
  deny: Rule[];
}

export interface ModelRules {
  model: Model;
  operations: Record<ModelOperation, RuleSet>;
  /** Field-level rules, only for fields that have any. */
  fields: Map<string, Record<FieldOperation, RuleSet>>;
  /** Whether the model has any rule at all (models without one are denied everything). */
  hasRules: boolean;
}

/** Every model's rules, resolved once at boot. */
export interface ResolvedRules {
  datamodel: Datamodel;
  models: Map<string, ModelRules>;
  viewerFields: ViewerFields;
}

export interface ResolveRulesOptions {
  /** The fields rules may read from `auth()`. @default { id, roles } */
  viewerFields?: ViewerFields;
  /** The schema file, so errors can point at `prisma/schema.prisma:42`. */
  schema?: { path: string; text: string };
}

/**
 * Reads the access rules from the datamodel's `///` comments, parses them and checks every name
 * against the datamodel. Throws a `RuleError` for the first rule that does not parse or names
 * something unknown; nothing is checked at request time.
 */
export function resolveRules(datamodel: Datamodel, options: ResolveRulesOptions = {}): ResolvedRules {
  const viewerFields = options.viewerFields ?? defaultViewerFields;
  const models = new Map<string, ModelRules>();
  for (const model of datamodel.models) {
    const rules: ModelRules = {
      model,
      operations: Object.fromEntries(modelOperations.map((op) => [op, { allow: [], deny: [] }])) as unknown as ModelRules['operations'],
      fields: new Map(),
      hasRules: false,
    };
    for (const { annotation, location } of annotations(model, model.documentation, undefined, options)) {
      if (annotation.level === 'field') {
        throw new RuleError(location, 0, `@${annotation.effect} is a field rule`, `@@${annotation.effect}(…) for the model, or @${annotation.effect}(…) in the /// comment above a field`);
      }
      const rule = toRule(annotation, location, model, datamodel, viewerFields);
      for (const op of operations(annotation, location, 'model')) rules.operations[op as ModelOperation][annotation.effect].push(rule);
      rules.hasRules = true;
    }
    for (const field of model.fields) {
      for (const { annotation, location } of annotations(model, field.documentation, field.name, options)) {
        if (annotation.level === 'model') {
          throw new RuleError(location, 0, `@@${annotation.effect} is a model rule`, `@${annotation.effect}(…) above a field, or @@${annotation.effect}(…) in the /// comment above the model`);
        }
        if (field.kind === 'object') throw new RuleError(location, 0, `${field.name} is a relation`, `field rules on scalar fields; rules of ${field.type} decide which related rows are visible`);
        if (field.isId || model.primaryKey?.fields.includes(field.name)) throw new RuleError(location, 0, `${field.name} identifies the row`, 'field rules on fields other than the primary key; protect the row with @@allow instead');
        const rule = toRule(annotation, location, model, datamodel, viewerFields);
        const sets = rules.fields.get(field.name) ?? { read: { allow: [], deny: [] }, update: { allow: [], deny: [] } };
        for (const op of operations(annotation, location, 'field')) sets[op as FieldOperation][annotation.effect].push(rule);
        rules.fields.set(field.name, sets);
        rules.hasRules = true;
      }
    }
    models.set(model.name, rules);
  }
  return { datamodel, models, viewerFields };
}

function* annotations(model: Model, documentation: string | undefined, field: string | undefined, options: ResolveRulesOptions) {
  const lines = (documentation ?? '').split('\n');
  for (const [index, line] of lines.entries()) {
    const location: RuleLocation = { model: model.name, field, text: line.trim(), line: index + 1 };
    try {
      const annotation = parseAnnotation(line, index + 1);
      if (!annotation) continue;
      if (options.schema) location.file = locate(options.schema, model.name, location.text);
      yield { annotation, location };
    } catch (error) {
      if (!(error instanceof RuleSyntaxError)) throw error;
      if (options.schema) location.file = locate(options.schema, model.name, location.text);
      throw new RuleError(location, error.pos, error.message, error.expected);
    }
  }
}

function toRule(annotation: Annotation, location: RuleLocation, model: Model, datamodel: Datamodel, viewerFields: ViewerFields): Rule {
  try {
    const cond = resolveExpression(annotation.expr, model, datamodel, viewerFields);
    return { effect: annotation.effect, cond, text: annotation.text, source: annotation.source, location };
  } catch (error) {
    if (!(error instanceof RuleSyntaxError)) throw error;
    throw new RuleError(location, error.pos, error.message, error.expected);
  }
}

function operations(annotation: Annotation, location: RuleLocation, level: 'model' | 'field'): string[] {
  const allowed: readonly string[] = level === 'model' ? modelOperations : fieldOperations;
  const result = new Set<string>();
  for (const op of annotation.operations) {
    // `all` means every operation but post-update, which is opt-in (as in ZenStack).
    if (op === 'all') {
      for (const o of allowed) if (o !== 'post-update') result.add(o);
    } else if (allowed.includes(op)) {
      result.add(op);
    } else {
      throw new RuleError(location, annotation.operationsPos, `Unknown operation "${op}"`, `${level === 'model' ? 'model' : 'field'} operations: ${[...allowed, 'all'].join(', ')}, comma-separated`);
    }
  }
  return [...result];
}

/** `prisma/schema.prisma:42`: the line of the annotation nearest after the model's doc comment. */
function locate(schema: { path: string; text: string }, model: string, text: string): string | undefined {
  const lines = schema.text.split('\n');
  const modelLine = lines.findIndex((l) => new RegExp(`^\\s*model\\s+${model}\\s*\\{`).test(l));
  const candidates = lines.flatMap((l, i) => (l.replace(/^\s*\/\/\/\s?/, '').trim() === text && /^\s*\/\/\//.test(l) ? [i] : []));
  if (!candidates.length) return undefined;
  const best = candidates.reduce((a, b) => (Math.abs(b - modelLine) < Math.abs(a - modelLine) ? b : a));
  return `${schema.path}:${best + 1}`;
}
