import { describe, expect, it } from 'vitest';
import { loadAuthConfig } from './auth-config.ts';

describe('loadAuthConfig', () => {
  it('has working defaults: PUBLIC_URL from the port, 30-day sessions, outbox mail, no OAuth', () => {
    expect(loadAuthConfig({}, 4000)).toEqual({
      publicUrl: 'http://localhost:4000',
      allowedOrigins: [],
      sessionTtlDays: 30,
      sessionCacheMs: 5000,
      smtpUrl: undefined,
      mailFrom: 'Cairn <no-reply@localhost>',
      github: undefined,
      google: undefined,
      oidc: undefined,
      trustProxy: 0,
      redisUrl: undefined,
    });
  });

  it('reads every entry', () => {
    const config = loadAuthConfig(
      {
        PUBLIC_URL: 'https://app.example.com/',
        CAIRN_ALLOWED_ORIGINS: 'http://localhost:5173, https://admin.example.com',
        SESSION_TTL_DAYS: '7',
        SMTP_URL: 'smtps://user:pass@smtp.example.com:465',
        MAIL_FROM: 'App <hello@example.com>',
        GITHUB_CLIENT_ID: 'gh',
        GITHUB_CLIENT_SECRET: 'gh-secret',
        GOOGLE_CLIENT_ID: 'g',
        GOOGLE_CLIENT_SECRET: 'g-secret',
        OIDC_ISSUER: 'https://id.example.com/',
        OIDC_CLIENT_ID: 'oidc',
        CAIRN_TRUST_PROXY: 'true',
        REDIS_URL: 'redis://:secret@redis.internal:6379/2',
      },
      4000,
    );
    expect(config).toMatchObject({
      publicUrl: 'https://app.example.com',
      allowedOrigins: ['http://localhost:5173', 'https://admin.example.com'],
      sessionTtlDays: 7,
      github: { clientId: 'gh', clientSecret: 'gh-secret' },
      google: { clientId: 'g', clientSecret: 'g-secret' },
      oidc: { issuer: 'https://id.example.com/', clientId: 'oidc', clientSecret: undefined },
      trustProxy: 1,
      redisUrl: 'redis://:secret@redis.internal:6379/2',
    });
    expect(loadAuthConfig({ CAIRN_TRUST_PROXY: '2' }, 1).trustProxy).toBe(2);
    expect(loadAuthConfig({ CAIRN_SESSION_CACHE_MS: '0' }, 1).sessionCacheMs).toBe(0);
    expect(loadAuthConfig({ CAIRN_TRUST_PROXY: 'false' }, 1).trustProxy).toBe(0);
  });

  it('names the variable, the expectation and what arrived', () => {
    expect(() => loadAuthConfig({ PUBLIC_URL: 'app.example.com' }, 1)).toThrow('PUBLIC_URL must be an absolute http(s) URL, got "app.example.com"');
    expect(() => loadAuthConfig({ CAIRN_ALLOWED_ORIGINS: 'https://a.example/path' }, 1)).toThrow(/CAIRN_ALLOWED_ORIGINS must list origins/);
    expect(() => loadAuthConfig({ SESSION_TTL_DAYS: '0' }, 1)).toThrow('SESSION_TTL_DAYS must be an integer from 1 to 3650, got "0"');
    expect(() => loadAuthConfig({ GITHUB_CLIENT_ID: 'gh' }, 1)).toThrow('GITHUB_CLIENT_SECRET must be set when GITHUB_CLIENT_ID is');
    expect(() => loadAuthConfig({ OIDC_ISSUER: 'https://id.example.com' }, 1)).toThrow('OIDC_CLIENT_ID must be set when OIDC_ISSUER is');
    expect(() => loadAuthConfig({ SMTP_URL: 'mail.example.com' }, 1)).toThrow(/SMTP_URL must look like/);
    expect(() => loadAuthConfig({ SMTP_URL: 'not a url with secret' }, 1)).not.toThrow(/secret/);
    expect(() => loadAuthConfig({ CAIRN_TRUST_PROXY: 'many' }, 1)).toThrow('CAIRN_TRUST_PROXY must be an integer from 0 to 10, got "many"');
    expect(() => loadAuthConfig({ REDIS_URL: 'localhost:6379 secret' }, 1)).toThrow(/REDIS_URL must look like/);
    expect(() => loadAuthConfig({ REDIS_URL: 'localhost:6379 secret' }, 1)).not.toThrow(/secret/);
  });
});
