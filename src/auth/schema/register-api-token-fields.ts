import type { Builder, Context } from '../../schema/index.ts';
import type { ApiTokens } from '../api-tokens.ts';
import { requireSession } from '../viewer-guards.ts';
import type { AuthTypes } from './register-auth-types.ts';

/** createApiToken, apiTokens, revokeApiToken. */
export function registerApiTokenFields(builder: Builder, types: AuthTypes, apiTokens: ApiTokens): void {
  builder.queryFields((t: any) => ({
    apiTokens: t.field({
      type: [types.apiToken],
      description: "The signed-in user's personal API tokens, newest first (needs a session).",
      resolve: (_root: unknown, _args: unknown, ctx: Context) => apiTokens.list(requireSession(ctx, 'apiTokens').viewer.id),
    }),
  }));

  builder.mutationFields((t: any) => ({
    createApiToken: t.field({
      type: types.createdApiToken,
      description: 'Creates a personal API token for server-to-server calls. The token is in this answer only. Needs a session.',
      args: {
        name: t.arg.string({ required: true, description: 'A label, 1 to 100 characters.' }),
        expiresAt: t.arg({ type: 'DateTime', description: 'Omit for a token valid until revoked.' }),
      },
      resolve: (_root: unknown, args: { name: string; expiresAt?: Date | null }, ctx: Context) =>
        apiTokens.create(requireSession(ctx, 'createApiToken').viewer.id, args.name, args.expiresAt),
    }),
    revokeApiToken: t.boolean({
      description: 'Revokes a personal API token at once (an id from `apiTokens`; needs a session).',
      args: { id: t.arg.id({ required: true }) },
      resolve: (_root: unknown, args: { id: string }, ctx: Context) =>
        apiTokens.revoke(requireSession(ctx, 'revokeApiToken').viewer.id, String(args.id)),
    }),
  }));
}
