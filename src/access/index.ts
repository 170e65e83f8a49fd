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
 *
 * Two halves: rules/ (tokenize, parse, resolve, compile, evaluate, print) and enforce/ (the
 * policy client: read path, write path and its change capture).
 */
export {
  alwaysAllowed,
  defaultViewerFields,
  fieldOperations,
  modelOperations,
  printRules,
  readRuleColumns,
  resolveRules,
  RuleError,
  unruledModelsWarning,
  type FieldOperation,
  type ModelOperation,
  type ModelRules,
  type ResolvedRules,
  type ResolveRulesOptions,
  type Rule,
  type RuleLocation,
  type RuleSet,
  type Viewer,
  type ViewerFields,
} from './rules/index.ts';
export { createAccessPolicy, trustedClient, type AccessClient, type AccessPolicy, type AccessPolicyOptions } from './enforce/index.ts';
export { createSubscriberRules, type SubscriberRules, type ModelInfo, type RelationInfo, type Row } from './enforce/index.ts';
export type { Filter, Where, ViewerRules } from './rules/index.ts';
