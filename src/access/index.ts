/**
 * Access rules: written as `///` annotations in schema.prisma, resolved against the datamodel
 * once at boot, enforced by one client (`ctx.db`) on every read and write.
 *
 *   /// @@allow("read", status == PUBLISHED || auth().id == authorId)   above a model
 *   /// @@deny("delete", status == PUBLISHED && !("admin" in auth().roles))
 *   /// @allow("update", "admin" in auth().roles)                        above a field
 *
 * Operations: read, create, update, post-update (the row after the write), delete, and all
 * (every one but post-update); fields take read and update. An operation without an @@allow is
 * denied (a model without rules is denied everything); any matching @@deny wins. post-update and
 * field rules only narrow: without rules they allow. Conditions: literals, fields, to-one paths
 * (`club.ownerId`), `auth()` and `auth().id`/`auth().roles`, `== != < <= > >=`, `&& || !`,
 * `in` (`x in [..]`, `"admin" in auth().roles`), `== null`, and to-many predicates
 * `members?[…]` (some), `members![…]` (every), `members^[…]` (none).
 */
export type { Viewer } from './viewer.ts';
export { resolveRules, modelOperations, fieldOperations, type ResolvedRules, type ResolveRulesOptions, type ModelRules, type Rule, type RuleSet, type ModelOperation, type FieldOperation } from './resolve-rules.ts';
export { defaultViewerFields, type ViewerFields } from './resolve-expression.ts';
export { RuleError, type RuleLocation } from './rule-error.ts';
export { createAccessPolicy, type AccessPolicy, type AccessPolicyOptions } from './create-access-policy.ts';
export { trustedClient, type AccessClient } from './create-policy-client.ts';
export { alwaysAllowed, readRuleColumns } from './viewer-rules.ts';
export { printRules, unruledModelsWarning } from './print-rules.ts';
export { createSubscriberRules, type SubscriberRules, type ModelInfo, type RelationInfo, type Row, type Filter, type Where, type ViewerRules } from './subscriber-rules.ts';
