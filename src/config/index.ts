export { loadConfig, type Config } from './load-config.ts';
export type { AuthConfig, OAuthClientConfig, OidcClientConfig } from './auth-config.ts';
export type { LimitsConfig } from './limits-config.ts';
