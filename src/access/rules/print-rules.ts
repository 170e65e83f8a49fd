import { isHidden } from '../../db/index.ts';
import { fieldOperations, modelOperations, type ResolvedRules, type RuleSet } from './resolve-rules.ts';

/**
 * The permission matrix `cairn rules` prints: every model × operation with the rules that decide
 * it (deny lines after allow lines), field rules under their model, then the models without any
 * rule, which every request is denied.
 */
export function printRules(rules: ResolvedRules): string {
  const lines = ['Access rules: model × operation → rule. Deny wins over allow; an operation without @@allow is denied.', ''];
  for (const { model, operations, fields, hasRules } of rules.models.values()) {
    if (!hasRules) continue;
    const rows: [string, RuleSet, string][] = modelOperations.map((op) => [op, operations[op], op === 'post-update' ? 'allowed (no post-update rule)' : 'denied (no @@allow)']);
    for (const [field, sets] of fields) {
      for (const op of fieldOperations) if (sets[op].allow.length || sets[op].deny.length) rows.push([`${field}: ${op}`, sets[op], '']);
    }
    const width = Math.max(...rows.map(([label]) => label.length));
    lines.push(`${model.name}${isHidden(model) ? ' (hidden from the API)' : ''}`);
    for (const [label, set, whenEmpty] of rows) lines.push(...describe(`  ${label.padEnd(width)}`, set, whenEmpty));
    lines.push('');
  }
  const unruled = [...rules.models.values()].filter((m) => !m.hasRules).map((m) => `${m.model.name}${isHidden(m.model) ? ' (hidden)' : ''}`);
  lines.push(
    unruled.length
      ? `Models without rules (every request is denied; trusted code reaches them with ctx.db.sudo()):\n  ${unruled.join(', ')}`
      : 'Every model has rules.',
  );
  return lines.join('\n');
}

function describe(label: string, set: RuleSet, whenEmpty: string): string[] {
  if (!set.allow.length && !set.deny.length) return [`${label}  ${whenEmpty}`];
  const lines = set.allow.length ? set.allow.map((r) => `allow  ${r.source}`) : [whenEmpty];
  lines.push(...set.deny.map((r) => `deny   ${r.source}`));
  return lines.map((line, i) => `${i === 0 ? label : ' '.repeat(label.length)}  ${line}`);
}

/** The boot warning for API models without any rule (undefined when every model has rules). */
export function unruledModelsWarning(rules: ResolvedRules): string | undefined {
  const names = [...rules.models.values()].filter((m) => !m.hasRules && !isHidden(m.model)).map((m) => m.model.name);
  if (!names.length) return undefined;
  return (
    `Access rules: ${names.join(', ')} ${names.length === 1 ? 'has' : 'have'} no /// @@allow rule, so every request is denied on ` +
    `${names.length === 1 ? 'it' : 'them'} (reads return nothing, writes are FORBIDDEN). Add rules above each model ` +
    '(`cairn rules` prints the matrix), or use ctx.db.sudo() in trusted server code.'
  );
}
