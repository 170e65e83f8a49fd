import { expect } from 'vitest';
import type { GraphQLResponse } from '../support/test-app.ts';

/** The response's data, after asserting it carried no errors (their messages show on failure). */
export function expectData<T = any>(response: GraphQLResponse<T>): T {
  expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
  return response.data!;
}

/** Asserts the response failed with one error of `code` and returns that error. */
export function expectError(response: GraphQLResponse, code: string) {
  expect(response.errors, JSON.stringify(response)).toHaveLength(1);
  const [error] = response.errors!;
  expect(error!.extensions.code, error!.message).toBe(code);
  return error!;
}
