import { serverAudits, type AuditResult } from 'graphql-http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/test-app.ts';

// The GraphQL-over-HTTP spec's audits (graphql-http's serverAudits) against the real server on a
// port: every MUST (status "error" when missed) and every SHOULD ("warn") passes. MAYs ("notice")
// are not required: GET requests with variables are among them (Cairn takes queries by POST).
describe('GraphQL over HTTP audit (graphql-http serverAudits)', () => {
  let t: TestApp;
  let url: string;
  beforeAll(async () => {
    t = await createTestApp('catalog', 'sqlite');
    url = `${(await t.app.start()).url}/graphql`;
  });
  afterAll(() => t?.close());

  it('passes every MUST and SHOULD', async () => {
    const results: AuditResult[] = [];
    for (const audit of serverAudits({ url, fetchFn: fetch })) results.push(await audit.fn());
    const failed = results.filter((r) => r.status === 'error' || r.status === 'warn').map((r) => `${r.status}: ${r.name}${'reason' in r ? ` (${r.reason})` : ''}`);
    expect(failed).toEqual([]);
    expect(results.filter((r) => r.status === 'ok').length).toBeGreaterThan(30);
  });
});
