import type { DbClient } from '../../db/index.ts';
import type { Builder, Viewer } from '../../schema/index.ts';
import type { ApiTokenView } from '../api-tokens.ts';
import type { IssuedSession } from '../issue-session.ts';
import type { SessionRecord } from '../session-store.ts';

/** A session as its owner sees it: the stored id (a token hash) is replaced by a public one. */
export type SessionView = Omit<SessionRecord, 'id' | 'userId'> & { id: string; current: boolean };

export interface AuthTypes {
  payload: unknown;
  session: unknown;
  apiToken: unknown;
  createdApiToken: unknown;
}

/**
 * AuthPayload, AuthSession, ApiToken, CreatedApiToken. `clientFor` reads the payload's user as
 * the user who just signed in (the request itself started signed out).
 */
export function registerAuthTypes(builder: Builder, clientFor: (viewer: Viewer) => DbClient): AuthTypes {
  const payload = builder.objectRef<IssuedSession>('AuthPayload').implement({
    description: 'A new session. Browsers got it as the `cairn_session` cookie; other clients send `Authorization: Bearer <token>`.',
    fields: (t: any) => ({
      token: t.exposeString('token', { description: 'The session token. Shown once; Cairn stores only its SHA-256.' }),
      expiresAt: t.expose('expiresAt', { type: 'DateTime', description: 'When the session ends if unused; each use in its second half extends it.' }),
      user: t.prismaField({
        type: 'User',
        resolve: (query: object, parent: IssuedSession) =>
          clientFor(parent.viewer).user.findUniqueOrThrow({ ...query, where: { id: parent.viewer.id } }),
      }),
    }),
  });

  const session = builder.objectRef<SessionView>('AuthSession').implement({
    description: 'A signed-in browser or client of the current user.',
    fields: (t: any) => ({
      id: t.exposeID('id', { description: 'Pass to `revokeSession`.' }),
      createdAt: t.expose('createdAt', { type: 'DateTime' }),
      expiresAt: t.expose('expiresAt', { type: 'DateTime' }),
      userAgent: t.exposeString('userAgent', { nullable: true }),
      ip: t.exposeString('ip', { nullable: true }),
      current: t.exposeBoolean('current', { description: 'The session this request came with.' }),
    }),
  });

  const apiToken = builder.objectRef<ApiTokenView>('ApiToken').implement({
    description: 'A personal API token (the secret itself is shown only by `createApiToken`).',
    fields: (t: any) => ({
      id: t.exposeID('id', { description: 'Pass to `revokeApiToken`.' }),
      name: t.exposeString('name'),
      createdAt: t.expose('createdAt', { type: 'DateTime' }),
      expiresAt: t.expose('expiresAt', { type: 'DateTime', nullable: true, description: 'Null: valid until revoked.' }),
      lastUsedAt: t.expose('lastUsedAt', { type: 'DateTime', nullable: true, description: 'Accurate to the hour.' }),
    }),
  });

  const createdApiToken = builder.objectRef<{ token: string; apiToken: ApiTokenView }>('CreatedApiToken').implement({
    fields: (t: any) => ({
      token: t.exposeString('token', {
        description: 'Send as `Authorization: Bearer <token>`. Shown this once: Cairn keeps only its SHA-256.',
      }),
      apiToken: t.field({ type: apiToken, resolve: (parent: { apiToken: ApiTokenView }) => parent.apiToken }),
    }),
  });

  return { payload, session, apiToken, createdApiToken };
}
