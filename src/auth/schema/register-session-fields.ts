import { notFound } from '../../errors.ts';
import type { Builder, Context } from '../../schema/index.ts';
import type { AuthDeps } from '../auth-deps.ts';
import type { PasswordAuth } from '../password-auth.ts';
import { publicIdOf } from '../random-token.ts';
import { clearSessionCookie } from '../session-cookie.ts';
import { revokeCredentials } from '../revoke-credentials.ts';
import { currentSessionId, requireSession } from '../viewer-guards.ts';
import type { AuthTypes, SessionView } from './register-auth-types.ts';

/** me, mySessions, signUp, signIn, signOut, signOutEverywhere, revokeSession. */
export function registerSessionFields(builder: Builder, types: AuthTypes, deps: AuthDeps, passwords: PasswordAuth): void {
  const { sessions, settings } = deps;

  builder.queryFields((t: any) => ({
    me: t.prismaField({
      type: 'User',
      nullable: true,
      description: 'The signed-in user, or null.',
      resolve: (query: object, _root: unknown, _args: unknown, ctx: Context) =>
        ctx.viewer ? ctx.db.user.findUnique({ ...query, where: { id: ctx.viewer.id } }) : null,
    }),
    mySessions: t.field({
      type: [types.session],
      description: "The signed-in user's live sessions, newest first.",
      resolve: async (_root: unknown, _args: unknown, ctx: Context): Promise<SessionView[]> => {
        const { viewer } = requireSession(ctx, 'mySessions');
        const current = currentSessionId(ctx);
        return (await sessions.list(viewer.id)).map(({ id, userId: _, ...rest }) => ({ ...rest, id: publicIdOf(id), current: id === current }));
      },
    }),
  }));

  const signUpArgs = (t: any) => ({
    email: t.arg.string({ required: true }),
    password: t.arg.string({ required: true, description: '8 characters to 256 bytes, not a common password.' }),
    ...(deps.models.userHasName ? { name: t.arg.string() } : {}),
  });

  builder.mutationFields((t: any) => ({
    signUp: t.field({
      type: types.payload,
      description: 'Creates a user and signs in (sets the session cookie); e-mails a verification link. CONFLICT when the e-mail is taken.',
      args: signUpArgs(t),
      resolve: (_root: unknown, args: { email: string; password: string; name?: string | null }, ctx: Context) =>
        passwords.signUp(ctx.request, args),
    }),
    signIn: t.field({
      type: types.payload,
      description: 'Starts a new session (and sets the cookie). UNAUTHENTICATED for a wrong e-mail or password, RATE_LIMITED after repeated failures.',
      args: { email: t.arg.string({ required: true }), password: t.arg.string({ required: true }) },
      resolve: (_root: unknown, args: { email: string; password: string }, ctx: Context) => passwords.signIn(ctx.request, args),
    }),
    signOut: t.boolean({
      description: 'Ends the session this request came with and clears the cookie; false when there was none.',
      resolve: async (_root: unknown, _args: unknown, ctx: Context) => {
        const id = currentSessionId(ctx);
        clearSessionCookie(ctx.request, settings.secureCookies);
        if (id) await sessions.invalidate(id);
        return Boolean(id);
      },
    }),
    signOutEverywhere: t.int({
      description: 'Ends every session and API token of the signed-in user (needs a session); returns how many ended.',
      resolve: async (_root: unknown, _args: unknown, ctx: Context) => {
        const { viewer } = requireSession(ctx, 'signOutEverywhere');
        clearSessionCookie(ctx.request, settings.secureCookies);
        return revokeCredentials(deps, viewer.id);
      },
    }),
    revokeSession: t.boolean({
      description: "Ends one of the signed-in user's sessions (an id from `mySessions`; needs a session).",
      args: { id: t.arg.id({ required: true }) },
      resolve: async (_root: unknown, args: { id: string }, ctx: Context) => {
        const { viewer } = requireSession(ctx, 'revokeSession');
        const session = (await sessions.list(viewer.id)).find((s) => publicIdOf(s.id) === String(args.id));
        if (!session) throw notFound('No session of yours has this id.');
        await sessions.invalidate(session.id);
        if (session.id === currentSessionId(ctx)) clearSessionCookie(ctx.request, settings.secureCookies);
        return true;
      },
    }),
  }));
}
