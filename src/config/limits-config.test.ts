import { expect, it } from 'vitest';
import { loadLimitsConfig } from './limits-config.ts';

it('has documented defaults; introspection and suggestions only outside production', () => {
  expect(loadLimitsConfig({}, true)).toEqual({
    maxDepth: 12,
    maxAliases: 30,
    maxTokens: 5000,
    maxDirectives: 50,
    maxCost: 100_000,
    maxInputList: 10_000,
    maxInputDepth: 20,
    maxStringLength: 1_000_000,
    requestTimeoutMs: 15_000,
    introspection: false,
    suggestions: false,
    shutdownTimeoutMs: 20_000,
    wsMaxPerAddress: 50,
    wsMaxPerViewer: 20,
    wsMaxOperations: 100,
    wsInitTimeoutMs: 3000,
    wsPingMs: 30000,
    wsIdleTimeoutMs: 300000,
    maxBatch: 10,
  });
  expect(loadLimitsConfig({}, false)).toMatchObject({ introspection: true, suggestions: true });
  expect(loadLimitsConfig({ CAIRN_INTROSPECTION: 'true' }, true).introspection).toBe(true);
});

it('reads every variable and names the one that is wrong', () => {
  expect(loadLimitsConfig({ CAIRN_MAX_DEPTH: '8', CAIRN_MAX_COST: '500', CAIRN_REQUEST_TIMEOUT_MS: '0' }, true)).toMatchObject({ maxDepth: 8, maxCost: 500, requestTimeoutMs: 0 });
  expect(() => loadLimitsConfig({ CAIRN_MAX_DEPTH: '0' }, true)).toThrow('CAIRN_MAX_DEPTH must be an integer from 1 to 2147483648, got "0"');
  expect(() => loadLimitsConfig({ CAIRN_WS_MAX_PER_ADDRESS: 'many' }, true)).toThrow(/CAIRN_WS_MAX_PER_ADDRESS must be an integer/);
  expect(loadLimitsConfig({ CAIRN_WS_PING_MS: '0' }, true).wsPingMs).toBe(0);
  expect(() => loadLimitsConfig({ CAIRN_WS_PING_MS: '-1' }, true)).toThrow(/CAIRN_WS_PING_MS must be an integer from 0/);
});
