import type { Builder } from '../../schema/index.ts';
import type { ApiTokens } from '../api-tokens.ts';
import type { AuthDeps } from '../auth-deps.ts';
import type { EmailChange } from '../email-change.ts';
import type { EmailVerification } from '../email-verification.ts';
import type { PasswordAuth } from '../password-auth.ts';
import type { PasswordReset } from '../password-reset.ts';
import { registerAccountFields } from './register-account-fields.ts';
import { registerApiTokenFields } from './register-api-token-fields.ts';
import { registerAuthTypes } from './register-auth-types.ts';
import { registerRoleFields } from './register-role-fields.ts';
import { registerSessionFields } from './register-session-fields.ts';

export interface AuthFeatures {
  deps: AuthDeps;
  passwords: PasswordAuth;
  emailChange: EmailChange;
  reset: PasswordReset;
  verification: EmailVerification;
  apiTokens: ApiTokens;
}

/** The auth part of the GraphQL API, added beside the generated CRUD fields. */
export function registerAuthSchema(builder: Builder, features: AuthFeatures): void {
  const types = registerAuthTypes(builder, features.deps.clientFor);
  registerSessionFields(builder, types, features.deps, features.passwords);
  registerAccountFields(builder, features);
  registerApiTokenFields(builder, types, features.apiTokens);
  registerRoleFields(builder, features.deps.db, features.deps.models, features.deps.sessions);
}
