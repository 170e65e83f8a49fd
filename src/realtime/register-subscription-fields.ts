import type { Builder, Kit, SchemaExtension } from '../schema/index.ts';
import { names } from '../schema/index.ts';
import type { ChangePayload, ChangeStreams, ChangeFieldMode } from './subscribe-changes.ts';

/** GraphQL names of the realtime API (clients depend on them). */
export const realtimeNames = {
  created: (model: string) => `${names.single(model)}Created`,
  updated: (model: string) => `${names.single(model)}Updated`,
  deleted: (model: string) => `${names.single(model)}Deleted`,
  changed: (model: string) => `${names.single(model)}Changed`,
  changeType: (model: string) => `${model}Change`,
  kindEnum: 'ChangeKind',
} as const;

const descriptions: Record<ChangeFieldMode, (model: string) => string> = {
  created: (m) => `Each ${m} created that matches \`where\` and that you may read, as it is now.`,
  updated: (m) => `Each ${m} updated that matches \`where\` and that you may read afterwards (including rows an update brought into view).`,
  deleted: (m) => `Each ${m} deleted that you were allowed to read and that matched \`where\`: the row as it was, with the fields you may read.`,
  changed: (m) =>
    `Every change to the ${m} rows you see through \`where\` and the rules: CREATED, UPDATED, DELETED, and ENTERED/LEFT when an update makes a row start/stop matching.`,
};

/** `postCreated`, `postUpdated`, `postDeleted`, `postChanged { kind node }` for every model of the API. */
export function subscriptionFields(streams: ChangeStreams): SchemaExtension {
  return (builder: Builder, kit: Kit) => {
    const b = builder as any;
    b.subscriptionType({});
    const kindEnum = b.enumType(realtimeNames.kindEnum, {
      description: 'What a change means to the subscriber: ENTERED/LEFT when an update makes a row start/stop matching its `where` or its read rules.',
      values: ['CREATED', 'UPDATED', 'DELETED', 'ENTERED', 'LEFT'] as const,
    });
    for (const model of kit.datamodel.models) {
      const whereType = kit.input(names.where(model.name));
      const changeType = b.objectRef(realtimeNames.changeType(model.name)).implement({
        description: `A change to a ${model.name} as the subscriber sees it.`,
        fields: (t: any) => ({
          kind: t.field({ type: kindEnum, resolve: (p: ChangePayload) => p.kind }),
          node: t.prismaField({
            type: model.name,
            description: 'The row after the change; for DELETED and LEFT, as it was before (with the fields you may read).',
            resolve: (_query: unknown, p: ChangePayload) => p.node,
          }),
        }),
      });
      const subscribe = (mode: ChangeFieldMode) => (_root: unknown, args: { where?: unknown }, ctx: any, info: any) =>
        streams.subscribe(model.name, args.where ?? undefined, mode, ctx, info);
      b.subscriptionFields((t: any) => {
        const modelField = (mode: Exclude<ChangeFieldMode, 'changed'>) =>
          t.prismaField({
            type: model.name,
            description: descriptions[mode](model.name),
            args: { where: t.arg({ type: whereType }) },
            subscribe: subscribe(mode),
            resolve: (_query: unknown, p: ChangePayload) => p.node,
          });
        return {
          [realtimeNames.created(model.name)]: modelField('created'),
          [realtimeNames.updated(model.name)]: modelField('updated'),
          [realtimeNames.deleted(model.name)]: modelField('deleted'),
          [realtimeNames.changed(model.name)]: t.field({
            type: changeType,
            description: descriptions.changed(model.name),
            args: { where: t.arg({ type: whereType }) },
            subscribe: subscribe('changed'),
            resolve: (p: ChangePayload) => p,
          }),
        };
      });
    }
  };
}
