import { forbidden, type CairnError } from '../../errors.ts';
import type { AccessContext } from './access-context.ts';
import { compileRule, narrow, type RuleSet } from '../rules/index.ts';
import type { Row } from './model-info.ts';

/**
 * FORBIDDEN for `Model.operation` (or `Model.field.operation`). The message names the rule; in
 * development `extensions.rule` also lists the rules involved and, when a row is known, which
 * @@deny matched.
 */
export async function deny(
  ctx: AccessContext,
  model: string,
  op: string,
  options: { field?: string; row?: Row; afterWrite?: boolean; onCreate?: boolean } = {},
): Promise<CairnError> {
  const name = [model, options.field, op].filter(Boolean).join('.');
  const message = `Access denied by rule ${name}`;
  if (!ctx.explain) return forbidden(message);
  const rules = ctx.rules.resolved.models.get(model);
  const set: RuleSet | undefined = options.field ? rules?.fields.get(options.field)?.[op as 'read' | 'update'] : rules?.operations[op as 'read'];
  const allow = set?.allow.map((r) => r.text) ?? [];
  const denyRules = set?.deny ?? [];
  let matched: string | undefined;
  if (options.row && denyRules.length) {
    const modelDef = ctx.info.model(model);
    for (const rule of denyRules) {
      const filter = compileRule(rule.cond, ctx.rules.viewer);
      if (filter === false) continue;
      const count = await ctx.db[ctx.info.delegate(modelDef)].count({ where: narrow(modelDef, ctx.info.keyFilter(modelDef, options.row), filter) });
      if (count) {
        matched = rule.text;
        break;
      }
    }
  }
  const reason = options.afterWrite
    ? op === 'create'
      ? `the update changed a column ${model}.create reads, and the row as written is not one this viewer could create (declare @@allow("post-update", …) to decide otherwise)`
      : `the row as written does not satisfy ${model}.post-update`
    : options.onCreate && !matched
      ? `the field's update rule also guards writing it on create, and no @allow rule admits this viewer and new row`
      : matched
    ? `${matched} matched`
    : !rules?.hasRules
      ? `${model} has no access rules, so every operation on it is denied (add /// @@allow(...) above the model)`
      : allow.length
        ? `no ${options.field ? '@allow' : '@@allow'} rule admits this viewer${options.row ? ' and row' : ''}`
        : `${model} has no @@allow rule for ${op}`;
  return forbidden(message, {
    rule: { name, reason, allow, deny: denyRules.map((r) => r.text), viewer: ctx.rules.viewer },
  });
}
