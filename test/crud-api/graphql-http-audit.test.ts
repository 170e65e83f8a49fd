import { serverAudits, type AuditResult } from 'graphql-http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/test-app.ts';

// The GraphQL-over-HTTP spec's audits (graphql-http's serverAudits) against the real server on a
// port: every MUST (status "error" when missed) and every SHOULD ("warn") passes. MAYs ("notice")
// are not required: GET requests with variables are among them (Cairn takes queries by POST).
describe('GraphQL over HTTP audit (graphql-http serverAudits)', () => {
  let t: TestApp;
  let url: string;
  let endpoint: string;
  beforeAll(async () => {
    t = await createTestApp('catalog', 'sqlite');
    endpoint = (await t.app.start()).url;
    url = `${endpoint}/graphql`;
  });
  afterAll(() => t?.close());

  // `url` is /graphql/graphql (yoga serves any path ending in its endpoint), which the HTTP fast
  // path leaves to yoga; `endpoint` is /graphql itself, where the fast path takes the plain POSTs.
  for (const target of ['url', 'endpoint'] as const) {
    it(`passes every MUST and SHOULD (${target})`, async () => {
      const fastBefore = t.app.httpFastPath!.fast;
      const results: AuditResult[] = [];
      for (const audit of serverAudits({ url: target === 'url' ? url : endpoint, fetchFn: fetch })) results.push(await audit.fn());
      const failed = results.filter((r) => r.status === 'error' || r.status === 'warn').map((r) => `${r.status}: ${r.name}${'reason' in r ? ` (${r.reason})` : ''}`);
      expect(failed).toEqual([]);
      expect(results.filter((r) => r.status === 'ok').length).toBeGreaterThan(30);
      if (target === 'endpoint') expect(t.app.httpFastPath!.fast).toBeGreaterThan(fastBefore);
      else expect(t.app.httpFastPath!.fast).toBe(fastBefore);
    });
  }
});
