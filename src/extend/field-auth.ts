import { defaultFieldResolver, isObjectType, type GraphQLFieldResolver, type GraphQLSchema } from 'graphql';
import { forbidden, unauthenticated } from '../errors.ts';
import type { Context } from '../schema/index.ts';

/** `'signedIn'`, a role (or any of several), or a predicate on the context. */
export type AuthRule = 'signedIn' | (string & {}) | readonly string[] | ((ctx: Context) => boolean | Promise<boolean>);

type Check = (ctx: Context) => Promise<void>;

function compile(rule: AuthRule, where: string): Check {
  if (typeof rule === 'function') {
    return async (ctx) => {
      if (!(await rule(ctx))) throw ctx.viewer ? forbidden(`${where}: its auth check refused this viewer`) : unauthenticated(`${where}: sign in first`);
    };
  }
  if (rule === 'signedIn') {
    return async (ctx) => {
      if (!ctx.viewer) throw unauthenticated(`${where}: sign in first`);
    };
  }
  const roles = typeof rule === 'string' ? [rule] : [...rule];
  if (!roles.length || roles.some((role) => typeof role !== 'string' || !role)) throw new Error(`${where}: auth must be "signedIn", a role, roles or a function`);
  return async (ctx) => {
    if (!ctx.viewer) throw unauthenticated(`${where}: sign in first`);
    if (!roles.some((role) => ctx.viewer!.roles.includes(role))) throw forbidden(`${where}: needs the role ${roles.map((r) => `"${r}"`).join(' or ')}`);
  };
}

/**
 * Wraps the resolvers (and subscribe functions) of fields declared with `auth:` in their check,
 * once when the schema is built; fields without it pay nothing. The rule shows in the field's
 * description, so GraphiQL and the SDL say who may call it.
 */
export function applyFieldAuth(schema: GraphQLSchema): GraphQLSchema {
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      const rule = (field.extensions?.pothosOptions as { auth?: AuthRule } | undefined)?.auth;
      if (rule === undefined) continue;
      const where = `${type.name}.${field.name}`;
      const check = compile(rule, where);
      const resolve: GraphQLFieldResolver<unknown, Context> = field.resolve ?? defaultFieldResolver;
      field.resolve = async (root, args, ctx, info) => {
        await check(ctx);
        return resolve(root, args, ctx, info);
      };
      if (field.subscribe) {
        const subscribe = field.subscribe;
        field.subscribe = async (root, args, ctx, info) => {
          await check(ctx);
          return subscribe(root, args, ctx, info);
        };
      }
      const note = `Requires: ${typeof rule === 'function' ? 'a custom check' : rule === 'signedIn' ? 'signed in' : `role ${[rule].flat().join(' or ')}`}.`;
      field.description = field.description ? `${field.description}\n\n${note}` : note;
    }
  }
  return schema;
}
