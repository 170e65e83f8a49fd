import { findModel, type Datamodel, type Field, type Model } from '../../db/index.ts';
import type { CompareOp, Expr } from './ast.ts';
import { flippedOp, isOrdering, negate, type Cond, type Literal, type Operand } from './cond.ts';
import { RuleSyntaxError } from './rule-error.ts';

/** The fields `auth().<name>` may read, and their types. `Id` compares with String, Int and BigInt ids. */
export type ViewerFields = Record<string, { type: 'Id' | 'String' | 'Int' | 'Float' | 'Boolean'; list?: boolean }>;
export const defaultViewerFields: ViewerFields = { id: { type: 'Id' }, roles: { type: 'String', list: true } };

type Bare = { kind: 'bare'; name: string; pos: number };
type Resolved = Exclude<Operand, { kind: 'list' }> | Bare | { kind: 'many'; path: Field[]; relation: Field } | { kind: 'list'; values: Literal[]; bare: Bare[] };

const numeric = new Set(['Int', 'Float', 'Decimal', 'BigInt']);
const ordered = new Set([...numeric, 'DateTime', 'String']);

/** Checks an expression against `model` (and the models it reaches) and returns it as a `Cond`. */
export function resolveExpression(expr: Expr, model: Model, datamodel: Datamodel, viewerFields = defaultViewerFields): Cond {
  const fieldList = (m: Model) => m.fields.map((f) => f.name).join(', ');

  const condition = (e: Expr, scope: Model): Cond => {
    switch (e.kind) {
      case 'literal':
        if (typeof e.value === 'boolean') return { kind: 'const', value: e.value };
        break;
      case 'not':
        return negate(condition(e.operand, scope));
      case 'collection': {
        const target = operand(e.object, scope);
        if (target.kind !== 'many') throw new RuleSyntaxError(`${show(e.object)} is not a to-many relation`, e.pos, `a to-many relation of ${scope.name} before ?[, ![ or ^[`);
        const where = condition(e.predicate, findModel(datamodel, target.relation.type));
        return { kind: 'collection', quantifier: e.quantifier, path: target.path, relation: target.relation, where };
      }
      case 'binary':
        if (e.op === '&&' || e.op === '||') return { kind: e.op === '&&' ? 'and' : 'or', items: [condition(e.left, scope), condition(e.right, scope)] };
        if (e.op === 'in') return membership(e, scope);
        return comparison(e.op, e.left, e.right, scope, e.pos);
      case 'ident':
      case 'member': {
        const value = operand(e, scope);
        if (value.kind === 'field' && value.field.type === 'Boolean' && !value.field.isList) {
          return { kind: 'compare', op: '==', left: value, right: { kind: 'value', value: true } };
        }
        if (value.kind === 'auth-field' && viewerFields[value.name]!.type === 'Boolean' && !viewerFields[value.name]!.list) {
          return { kind: 'compare', op: '==', left: value, right: { kind: 'value', value: true } };
        }
        if (value.kind === 'bare') throw unknownField(value.name, scope, value.pos);
        break;
      }
    }
    throw new RuleSyntaxError(`${show(e)} is not a condition`, e.pos, 'a condition (true or false): a comparison, a Boolean field, `in`, or a ?[…] predicate');
  };

  const operand = (e: Expr, scope: Model): Resolved => {
    switch (e.kind) {
      case 'literal':
        return { kind: 'value', value: e.value };
      case 'auth':
        return { kind: 'auth' };
      case 'list': {
        const bare: Bare[] = [];
        const values = e.items.map((item) => listItem(item, bare));
        return { kind: 'list', values, bare };
      }
      case 'ident': {
        const field = scope.fields.find((f) => f.name === e.name);
        if (!field) return { kind: 'bare', name: e.name, pos: e.pos };
        return fieldOperand([], field);
      }
      case 'member': {
        const object = operand(e.object, scope);
        if (object.kind === 'auth') {
          if (!viewerFields[e.name]) throw new RuleSyntaxError(`auth() has no field "${e.name}"`, e.pos, `one of auth().${Object.keys(viewerFields).join(', auth().')}`);
          return { kind: 'auth-field', name: e.name };
        }
        if (object.kind === 'relation') {
          const target = findModel(datamodel, object.path.at(-1)!.type);
          const field = target.fields.find((f) => f.name === e.name);
          if (!field) throw unknownField(e.name, target, e.pos, `${show(e.object)}.`);
          return fieldOperand(object.path, field);
        }
        if (object.kind === 'bare') throw unknownField(object.name, scope, object.pos);
        throw new RuleSyntaxError(`".${e.name}" cannot follow ${show(e.object)}`, e.pos, 'a field after auth() or after a to-one relation');
      }
      default:
        throw new RuleSyntaxError(`${show(e)} is not a value`, e.pos, 'a field, auth(), auth().<field> or a literal');
    }
  };

  const fieldOperand = (path: Field[], field: Field): Resolved => {
    if (field.kind !== 'object') return { kind: 'field', path, field };
    if (field.isList) return { kind: 'many', path, relation: field };
    return { kind: 'relation', path: [...path, field] };
  };

  const listItem = (item: Expr, bare: Bare[]): Literal => {
    if (item.kind === 'literal' && item.value !== null) return item.value;
    // Bare enum values (`[OWNER, ADMIN]`) are checked against the field they are compared with.
    if (item.kind === 'ident') {
      bare.push({ kind: 'bare', name: item.name, pos: item.pos });
      return item.name;
    }
    throw new RuleSyntaxError(`${show(item)} cannot be a list item`, item.pos, 'string, number or boolean literals (or enum values) in [ ]');
  };

  const unknownField = (name: string, scope: Model, pos: number, prefix = '') =>
    new RuleSyntaxError(`Unknown field "${prefix}${name}" on ${scope.name}`, pos, `a field of ${scope.name} (${fieldList(scope)}), auth(), or a literal`);

  const comparison = (op: CompareOp, leftExpr: Expr, rightExpr: Expr, scope: Model, pos: number): Cond => {
    let left = operand(leftExpr, scope);
    let right = operand(rightExpr, scope);
    // Keep the row side on the left so compilers see `field op value`.
    if (isRowSide(right) && !isRowSide(left)) {
      [left, right] = [right, left];
      [leftExpr, rightExpr] = [rightExpr, leftExpr];
      op = flippedOp[op];
    }
    if (left.kind === 'field' && left.field.kind === 'enum' && right.kind === 'bare') right = enumValue(left.field, right);
    if (left.kind === 'bare') throw unknownField(left.name, scope, left.pos);
    if (right.kind === 'bare') throw unknownField(right.name, scope, right.pos);
    if (left.kind === 'many' || right.kind === 'many') {
      throw new RuleSyntaxError('A to-many relation cannot be compared', pos, 'a predicate: relation?[cond] (some), relation![cond] (every) or relation^[cond] (none)');
    }
    if (left.kind === 'list' || right.kind === 'list') throw new RuleSyntaxError('A list cannot be compared with ' + op, pos, '`value in [ … ]`');
    const isNull = right.kind === 'value' && right.value === null;
    if (isOrdering(op) && (isNull || (left.kind === 'value' && left.value === null))) throw new RuleSyntaxError(`null cannot be compared with ${op}`, pos, '== null or != null');
    if (left.kind === 'relation' || left.kind === 'auth' || right.kind === 'auth' || right.kind === 'relation') {
      const subject = left.kind === 'relation' || left.kind === 'auth' ? leftExpr : rightExpr;
      if (!isNull || isOrdering(op)) throw new RuleSyntaxError(`${show(subject)} can only be compared with null`, pos, `${show(subject)} == null or != null${left.kind === 'auth' || right.kind === 'auth' ? ', or a field such as auth().id' : ', or one of its fields'}`);
      return { kind: 'compare', op, left, right };
    }
    if (left.kind === 'field' && right.kind === 'field') {
      throw new RuleSyntaxError('Rules cannot compare two fields of the row', pos, 'a field compared with a literal or with auth().<field>');
    }
    if (left.kind === 'field') checkComparable(left.field, right, op, pos);
    if (left.kind === 'auth-field' || right.kind === 'auth-field') {
      for (const side of [left, right]) {
        if (side.kind === 'auth-field' && viewerFields[side.name]!.list) throw new RuleSyntaxError(`auth().${side.name} is a list`, pos, `\`"value" in auth().${side.name}\``);
      }
    }
    return { kind: 'compare', op, left, right };
  };

  const membership = (e: Extract<Expr, { kind: 'binary' }>, scope: Model): Cond => {
    let item = operand(e.left, scope);
    const list = operand(e.right, scope);
    const listOk =
      list.kind === 'list' ||
      (list.kind === 'auth-field' && viewerFields[list.name]!.list) ||
      (list.kind === 'field' && list.field.isList);
    if (!listOk) throw new RuleSyntaxError(`${show(e.right)} is not a list`, e.right.pos, 'a list literal [ … ], a list field of auth() (auth().roles) or a scalar list field');
    if (item.kind === 'bare' && list.kind === 'field' && list.field.kind === 'enum') item = enumValue(list.field, item);
    if (item.kind === 'bare') throw unknownField(item.name, scope, item.pos);
    if (item.kind === 'field' && item.field.isList) throw new RuleSyntaxError('A list field cannot be the left side of `in`', e.left.pos, 'a single value');
    if (!['value', 'field', 'auth-field'].includes(item.kind)) throw new RuleSyntaxError(`${show(e.left)} cannot be the left side of \`in\``, e.left.pos, 'a field, a literal or auth().<field>');
    if (item.kind === 'field' && list.kind === 'field') throw new RuleSyntaxError('Rules cannot compare two fields of the row', e.pos, 'a field `in` a literal list or auth() list');
    if (list.kind === 'list') {
      const field = item.kind === 'field' ? item.field : undefined;
      if (field?.kind === 'enum') for (const value of list.values) enumLiteral(field, value, e.right.pos);
      else if (list.bare[0]) throw unknownField(list.bare[0].name, scope, list.bare[0].pos);
      if (field) for (const value of list.values) checkComparable(field, { kind: 'value', value }, '==', e.right.pos);
    }
    if (list.kind === 'field' && item.kind === 'value') checkComparable(list.field, item, '==', e.left.pos);
    const values: Operand = list.kind === 'list' ? { kind: 'list', values: list.values } : (list as Operand);
    return { kind: 'in', item: item as Operand, list: values, negated: false };
  };

  const enumValue = (field: Field, bare: { name: string; pos: number }): Extract<Operand, { kind: 'value' }> => ({
    kind: 'value',
    value: enumLiteral(field, bare.name, bare.pos),
  });
  const enumLiteral = (field: Field, value: Literal, pos: number): Literal => {
    const values = datamodel.enums.find((en) => en.name === field.type)?.values ?? [];
    if (!values.includes(value as string)) throw new RuleSyntaxError(`${JSON.stringify(value)} is not a value of enum ${field.type}`, pos, `one of ${values.join(', ')}`);
    return value;
  };

  const checkComparable = (field: Field, other: Operand, op: CompareOp, pos: number) => {
    if (field.type === 'Json') throw new RuleSyntaxError(`${field.name} is a Json field`, pos, 'a field of another type (rules cannot read Json values)');
    if (field.isList) throw new RuleSyntaxError(`${field.name} is a list field`, pos, `\`value in ${field.name}\``);
    if (isOrdering(op) && !ordered.has(field.type)) throw new RuleSyntaxError(`${field.name} (${field.type}) cannot be compared with ${op}`, pos, '== or !=');
    if (other.kind === 'auth-field') {
      const type = viewerFields[other.name]!.type;
      const ok = type === 'Id' ? ['String', 'Int', 'BigInt'].includes(field.type) : type === field.type || (type === 'String' && field.kind === 'enum');
      if (!ok) throw new RuleSyntaxError(`auth().${other.name} cannot be compared with ${field.name} (${field.type})`, pos, 'fields of a matching type');
      return;
    }
    if (other.kind !== 'value' || other.value === null) return;
    const value = other.value;
    const ok =
      field.kind === 'enum'
        ? typeof value === 'string'
        : field.type === 'String' || field.type === 'DateTime'
          ? typeof value === 'string' && (field.type === 'String' || !Number.isNaN(Date.parse(value)))
          : field.type === 'Boolean'
            ? typeof value === 'boolean'
            : numeric.has(field.type)
              ? typeof value === 'number' && (Number.isInteger(value) || field.type === 'Float' || field.type === 'Decimal')
              : false;
    if (!ok) throw new RuleSyntaxError(`${JSON.stringify(value)} cannot be compared with ${field.name} (${field.type})`, pos, `${field.kind === 'enum' ? `a value of enum ${field.type}` : `${/^[AEIOU]/.test(field.type) ? 'an' : 'a'} ${field.type} value`}${field.type === 'Bytes' ? ' (Bytes fields only compare with null)' : ''}`);
    if (field.kind === 'enum') enumLiteral(field, value, pos);
  };

  return condition(expr, model);
}

const isRowSide = (o: Resolved) => o.kind === 'field' || o.kind === 'relation' || o.kind === 'many';

function show(e: Expr): string {
  switch (e.kind) {
    case 'literal':
      return JSON.stringify(e.value);
    case 'ident':
      return e.name;
    case 'auth':
      return 'auth()';
    case 'member':
      return `${show(e.object)}.${e.name}`;
    case 'list':
      return '[…]';
    default:
      return 'this expression';
  }
}
