/**
 * The enforcement half of access: the policy client (`ctx.db`) whose every model method checks
 * the viewer's compiled rules — the read path (plan-read, read-rows, apply-read-plan,
 * rewrite-where) and the write path (create-row, update-row, write-many, locate-row and the
 * after-write rule) with its change capture (change-capture: WriteObserver calls, change events
 * published after COMMIT).
 */
export { createAccessPolicy, type AccessPolicy, type AccessPolicyOptions } from './create-access-policy.ts';
export { trustedClient, type AccessClient } from './create-policy-client.ts';
export { createSubscriberRules, type SubscriberRules, type ModelInfo, type RelationInfo, type Row } from './subscriber-rules.ts';
