import { compileRule } from './compile-rule.ts';
import { negate, ownColumns } from './cond.ts';
import { evaluateRule } from './evaluate-rule.ts';
import { and, or, type Filter } from './filter.ts';
import type { FieldOperation, ModelOperation, ResolvedRules, RuleSet } from './resolve-rules.ts';
import type { Viewer } from './viewer.ts';
import { deepFreeze } from '../../deep-freeze.ts';

/** The rules compiled for one viewer, memoized for the request. */
export interface ViewerRules {
  readonly viewer: Viewer | null;
  readonly resolved: ResolvedRules;
  /** Rows of `model` the viewer may `op`. Without an @@allow for `op`, false (post-update: true). */
  model(model: string, op: ModelOperation): Filter;
  /** Rows the viewer may not `op`: the exact (null-safe) complement of `model()`. */
  modelDenied(model: string, op: ModelOperation): Filter;
  /** Rows whose `field` the viewer may `op`; true for a field without rules for `op`. */
  field(model: string, field: string, op: FieldOperation): Filter;
  /** The model rule decided from known values (create data, a row read); undefined when the database must decide. */
  evaluate(model: string, op: ModelOperation, values: Record<string, unknown>): boolean | undefined;
  /** The field rule decided from known values, like `evaluate`. */
  evaluateField(model: string, field: string, op: FieldOperation, values: Record<string, unknown>): boolean | undefined;
  /** Fields of `model` with rules for `op`. */
  ruledFields(model: string, op: FieldOperation): string[];
}

const empty: RuleSet = { allow: [], deny: [] };
// Model operations are denied without an allow; post-update and field rules only narrow.
const openByDefault = (op: ModelOperation) => op === 'post-update';

/**
 * Built for every request, so it is a class: methods live on the prototype and the memo is
 * created on first use, instead of a dozen closures per request. `memo`: compiled filters shared
 * with other requests of a viewer with the same `auth()` values (viewerRulesCache).
 */
class CompiledViewerRules implements ViewerRules {
  #memo: Map<string, Filter> | undefined;
  readonly resolved: ResolvedRules;
  readonly viewer: Viewer | null;
  constructor(resolved: ResolvedRules, viewer: Viewer | null, memo?: Map<string, Filter>) {
    this.resolved = resolved;
    this.viewer = viewer;
    this.#memo = memo;
  }

  model(model: string, op: ModelOperation): Filter {
    return this.#cached(`${model}:${op}`, () => this.#allowed(this.#modelSet(model, op), openByDefault(op)));
  }
  modelDenied(model: string, op: ModelOperation): Filter {
    return this.#cached(`!${model}:${op}`, () => this.#denied(this.#modelSet(model, op), openByDefault(op)));
  }
  field(model: string, field: string, op: FieldOperation): Filter {
    return this.#cached(`${model}.${field}:${op}`, () => this.#allowed(this.#fieldSet(model, field, op), true));
  }
  evaluate(model: string, op: ModelOperation, values: Record<string, unknown>): boolean | undefined {
    return this.#evaluateSet(this.#modelSet(model, op), openByDefault(op), values);
  }
  evaluateField(model: string, field: string, op: FieldOperation, values: Record<string, unknown>): boolean | undefined {
    return this.#evaluateSet(this.#fieldSet(model, field, op), true, values);
  }
  ruledFields(model: string, op: FieldOperation): string[] {
    const fields = this.resolved.models.get(model)?.fields ?? [];
    return [...fields].filter(([, sets]) => sets[op].allow.length || sets[op].deny.length).map(([name]) => name);
  }

  #cached(key: string, make: () => Filter): Filter {
    this.#memo ??= new Map();
    let value = this.#memo.get(key);
    if (value === undefined) this.#memo.set(key, (value = deepFreeze(make())));
    return value;
  }
  #modelSet(model: string, op: ModelOperation): RuleSet {
    return this.resolved.models.get(model)?.operations[op] ?? empty;
  }
  #fieldSet(model: string, field: string, op: FieldOperation): RuleSet {
    return this.resolved.models.get(model)?.fields.get(field)?.[op] ?? empty;
  }
  #allowed(set: RuleSet, open: boolean): Filter {
    return and(
      set.allow.length ? or(...set.allow.map((r) => compileRule(r.cond, this.viewer))) : open,
      ...set.deny.map((r) => compileRule(negate(r.cond), this.viewer)),
    );
  }
  #denied(set: RuleSet, open: boolean): Filter {
    return or(
      set.allow.length ? and(...set.allow.map((r) => compileRule(negate(r.cond), this.viewer))) : !open,
      ...set.deny.map((r) => compileRule(r.cond, this.viewer)),
    );
  }
  #evaluateSet(set: RuleSet, open: boolean, values: Record<string, unknown>): boolean | undefined {
    const denies = set.deny.map((r) => evaluateRule(r.cond, this.viewer, values));
    if (denies.includes(true)) return false;
    const allows = set.allow.map((r) => evaluateRule(r.cond, this.viewer, values));
    const anyAllow = set.allow.length ? (allows.includes(true) ? true : allows.includes(undefined) ? undefined : false) : open;
    if (anyAllow === false) return false;
    return anyAllow === true && !denies.includes(undefined) ? true : undefined;
  }
}

export function createViewerRules(resolved: ResolvedRules, viewer: Viewer | null): ViewerRules {
  return new CompiledViewerRules(resolved, viewer);
}

/**
 * `createViewerRules` whose compiled filters are shared by every request of a viewer with the same
 * values of every `auth()` field the rules may read (id and roles unless configured), so a
 * signed-in user's rules are compiled once, not on every request. Each request still gets its own
 * `viewer`. The filters are frozen (see `#cached`); those of the `size` most recently seen
 * viewers are kept.
 */
export function viewerRulesCache(resolved: ResolvedRules, size = 1000): (viewer: Viewer | null) => ViewerRules {
  const memos = new Map<string, Map<string, Filter>>();
  const fields = Object.keys(resolved.viewerFields);
  return (viewer) => {
    const key = viewer ? JSON.stringify(fields.map((field) => (viewer as unknown as Record<string, unknown>)[field] ?? null)) : '';
    const memo = memos.get(key) ?? new Map<string, Filter>();
    memos.delete(key);
    memos.set(key, memo);
    if (memos.size > size) memos.delete(memos.keys().next().value!);
    return new CompiledViewerRules(resolved, viewer, memo);
  };
}

/**
 * The columns of `model` its read rules (model and field level) compare: rows read with them can
 * be checked without another query (`ViewerRules.evaluate`), so the API always selects them.
 */
export function readRuleColumns(resolved: ResolvedRules, model: string): string[] {
  const rules = resolved.models.get(model);
  if (!rules) return [];
  const sets = [rules.operations.read, ...[...rules.fields.values()].map((f) => f.read)];
  return [...new Set(sets.flatMap((set) => [...set.allow, ...set.deny]).flatMap((rule) => ownColumns(rule.cond)))];
}

/** Whether every viewer may `op` every row (`@@allow(op, true)` and no deny): such checks cost nothing. */
export function alwaysAllowed(resolved: ResolvedRules, model: string, op: ModelOperation, field?: string): boolean {
  const rules = resolved.models.get(model);
  const set = field ? rules?.fields.get(field)?.[op as FieldOperation] : rules?.operations[op];
  if (field && (!set || (!set.allow.length && !set.deny.length))) return true;
  if (!set || set.deny.length) return false;
  return set.allow.some((r) => r.cond.kind === 'const' && r.cond.value);
}

/**
 * The rules of trusted server code (`ctx.db.sudo()`, auth): every check passes, so writes take the
 * same path as the viewer's (nested writes, change capture) without being refused.
 */
class TrustedRules implements ViewerRules {
  readonly viewer = null;
  readonly resolved: ResolvedRules;
  constructor(resolved: ResolvedRules) {
    this.resolved = resolved;
  }
  model(): Filter {
    return true;
  }
  modelDenied(): Filter {
    return false;
  }
  field(): Filter {
    return true;
  }
  evaluate(): boolean {
    return true;
  }
  evaluateField(): boolean {
    return true;
  }
  ruledFields(): string[] {
    return [];
  }
}

export function trustedRules(resolved: ResolvedRules): ViewerRules {
  return new TrustedRules(resolved);
}
