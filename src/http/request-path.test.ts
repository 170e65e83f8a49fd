import { describe, expect, it } from 'vitest';
import { requestPath } from './request-path.ts';

describe('requestPath', () => {
  it('is the URL path without query or fragment, as new URL(...).pathname for the URLs servers see', () => {
    for (const url of ['http://cairn.test/graphql', 'http://127.0.0.1:4000/ready?x=1', 'https://a.example/b/c#d', 'http://h', 'http://h/?q']) {
      expect(requestPath(url)).toBe(new URL(url).pathname);
    }
  });
});
