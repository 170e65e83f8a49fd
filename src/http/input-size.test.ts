import { expect, it } from 'vitest';
import { checkInputSize } from './input-size.ts';

const bounds = { maxList: 3, maxDepth: 2, maxString: 5 };

it('passes values within every bound', () => {
  expect(checkInputSize({ where: { id: { in: [1, 2, 3] } }, s: 'abcde' }, bounds)).toBeUndefined();
  expect(checkInputSize(null, bounds)).toBeUndefined();
});

it('names the first bound broken, with its maximum and the value', () => {
  expect(checkInputSize({ ids: [1, 2, 3, 4] }, bounds)?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', limit: 'maxInputList', max: 3, value: 4 });
  expect(checkInputSize({ w: { a: { b: 1 } } }, bounds)).toBeUndefined();
  expect(checkInputSize({ w: { a: { b: { c: 1 } } } }, bounds)?.extensions).toMatchObject({ limit: 'maxInputDepth', max: 2 });
  expect(checkInputSize({ w: [[['abcdef']]] }, bounds)?.extensions).toMatchObject({ limit: 'maxStringLength', value: 6 });
});

it('stops at the bound: a value nested 100,000 deep is refused without recursing that deep', () => {
  let deep: any = 1;
  for (let i = 0; i < 100_000; i++) deep = { NOT: deep };
  expect(checkInputSize({ w: deep }, bounds)?.extensions.limit).toBe('maxInputDepth');
});
