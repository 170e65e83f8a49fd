/**
 * The rules half of access: `///` annotations tokenized and parsed, resolved against the
 * datamodel once at boot, compiled per viewer into Prisma filters (or decided from known values),
 * and printed as the permission matrix. Nothing here touches the database.
 */
export type { Viewer } from './viewer.ts';
export { resolveRules, modelOperations, fieldOperations, type ResolvedRules, type ResolveRulesOptions, type ModelRules, type Rule, type RuleSet, type ModelOperation, type FieldOperation } from './resolve-rules.ts';
export { defaultViewerFields, type ViewerFields } from './resolve-expression.ts';
export { RuleError, type RuleLocation } from './rule-error.ts';
export { alwaysAllowed, createViewerRules, readRuleColumns, trustedRules, viewerRulesCache, type ViewerRules } from './viewer-rules.ts';
export { printRules, unruledModelsWarning } from './print-rules.ts';
export { compileRule } from './compile-rule.ts';
export type { Cond, Operand } from './cond.ts';
export { and, narrow, or, toWhere, type Filter, type Where } from './filter.ts';
