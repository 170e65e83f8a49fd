import { createModelInfo, type ModelInfo, type RelationInfo, type Row } from './model-info.ts';
import { createViewerRules, type Filter, type ResolvedRules, type Viewer, type ViewerRules, type Where } from '../rules/index.ts';
import { rewriteWhere } from './rewrite-where.ts';

export type { ModelInfo, RelationInfo, Row, Filter, Where, ViewerRules };

/**
 * The rules realtime checks against rows it did not read itself (change events): the viewer's
 * compiled read rules, and a subscriber's `where` made unable to observe what the viewer may not
 * read — exactly as the policy client rewrites a query's `where`.
 */
export interface SubscriberRules {
  readonly info: ModelInfo;
  /** The viewer's rules (memoized per viewer object: build it once per subscription). */
  forViewer(viewer: Viewer | null): ViewerRules;
  /** `where` as the policy client would run it for `rules`' viewer. */
  guardWhere(rules: ViewerRules, model: string, where: unknown): Where | undefined;
}

export function createSubscriberRules(resolved: ResolvedRules): SubscriberRules {
  const info = createModelInfo(resolved.datamodel);
  return {
    info,
    forViewer: (viewer) => createViewerRules(resolved, viewer),
    guardWhere: (rules, model, where) =>
      // rewriteWhere reads only the rules and the model info; nothing here queries or writes.
      rewriteWhere({ db: undefined as never, rules, info, explain: false, inTransaction: false, capture: undefined as never, report: () => {} }, info.model(model), where),
  };
}
