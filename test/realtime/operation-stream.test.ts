import { describe, expect, it } from 'vitest';
import { CairnError } from '../../src/errors.ts';
import { PushQueue } from '../../src/realtime/async-queue.ts';
import { missedEventsResult, OperationRegistry } from '../../src/realtime/operation-registry.ts';
import type { Context } from '../../src/schema/index.ts';

/** A source that records whether the stream let go of it. */
class Source extends PushQueue<unknown> {
  released = 0;
  protected override returned(): void {
    this.released += 1;
  }
}

const setup = (limits = { perConnection: 10, perViewer: 10 }) => {
  const registry = new OperationRegistry(limits);
  const ctx = { request: {}, viewer: { id: 1, roles: ['user'] } } as unknown as Context;
  return { registry, ctx, handle: registry.open(ctx), source: new Source() };
};
const value = (n: number) => ({ data: { n } });
const mapper = { run: (payload: unknown) => Promise.resolve({ data: { mapped: payload } }) };

// The operation's stream (Handle): source results mapped, the registry's signals merged in.
describe('realtime: an operation stream merges its source and its signals', () => {
  it('delivers source values mapped, in order, and a gap signal where it arrived; the source is read only while the client waits', async () => {
    const { handle, source } = setup();
    const stream = handle.wrap(source, mapper);
    source.push(1);
    source.push(2);
    expect(await stream.next()).toEqual({ value: { data: { mapped: 1 } }, done: false });
    const waiting = stream.next();
    handle.gap();
    expect(await waiting).toEqual({ value: missedEventsResult, done: false });
    // 2 stayed in the source's buffer (and counts against its limit) until asked for.
    expect(await stream.next()).toEqual({ value: { data: { mapped: 2 } }, done: false });
    const later = stream.next();
    source.push(3);
    expect(await later).toEqual({ value: { data: { mapped: 3 } }, done: false });
  });

  it('a source value arriving while a signal answered the client is kept for the next read, not lost or doubled', async () => {
    const { handle, source } = setup();
    const stream = handle.wrap(source);
    const first = stream.next();
    handle.gap();
    source.push(value(1));
    expect(await first).toEqual({ value: missedEventsResult, done: false });
    expect(await stream.next()).toEqual({ value: value(1), done: false });
    source.push(value(2));
    expect(await stream.next()).toEqual({ value: value(2), done: false });
  });

  it('fail: the error, then the end; the source is released and the registry slot freed', async () => {
    const { registry, handle, source } = setup();
    const stream = handle.wrap(source);
    const error = new CairnError('UNAUTHENTICATED', 'gone');
    handle.fail(error);
    expect(await stream.next()).toEqual({ value: { errors: [error] }, done: false });
    expect(await stream.next()).toEqual({ value: undefined, done: true });
    expect(source.released).toBe(1);
    expect(registry.size).toBe(0);
  });

  it('complete while the client waits ends it at once; the source is released once', async () => {
    const { registry, handle, source } = setup();
    const stream = handle.wrap(source, mapper);
    const waiting = stream.next();
    handle.complete();
    expect(await waiting).toEqual({ value: undefined, done: true });
    source.push(1);
    expect(await stream.next()).toEqual({ value: undefined, done: true });
    expect(source.released).toBe(1);
    expect(registry.size).toBe(0);
  });

  it('complete before the source was attached (shutdown during setup) releases the source when it arrives', async () => {
    const { registry, handle, source } = setup();
    handle.complete();
    expect(registry.size).toBe(0);
    const stream = handle.wrap(source);
    expect(source.released).toBe(1);
    expect(await stream.next()).toEqual({ value: undefined, done: true });
  });

  it('the client leaving (return) frees the slot and releases the source, with a read pending', async () => {
    const { registry, handle, source } = setup();
    const stream = handle.wrap(source);
    const waiting = stream.next();
    await stream.return();
    expect(await waiting).toEqual({ value: undefined, done: true });
    expect(source.released).toBe(1);
    expect(registry.size).toBe(0);
  });

  it('a failing mapper or source ends the stream with a coded error (internal errors say nothing more)', async () => {
    const { handle, source } = setup();
    const stream = handle.wrap(source, { run: () => Promise.reject(new Error('secret detail')) });
    source.push(1);
    const { value: result } = await stream.next();
    expect(result?.errors?.[0]).toBeInstanceOf(CairnError);
    expect(result?.errors?.[0]?.message).toBe('The subscription failed.');
    expect(await stream.next()).toEqual({ value: undefined, done: true });
    expect(source.released).toBe(1);

    const other = setup();
    const failing: AsyncIterable<unknown> = { [Symbol.asyncIterator]: () => ({ next: () => Promise.reject(new CairnError('FORBIDDEN', 'no')) }) };
    const stream2 = other.handle.wrap(failing);
    expect((await stream2.next()).value?.errors?.[0]?.message).toBe('no');
    expect(await stream2.next()).toEqual({ value: undefined, done: true });
  });

  it('the registry refuses past its limits and counts a slot free again once a stream is over', async () => {
    const { registry, ctx, handle, source } = setup({ perConnection: 1, perViewer: 5 });
    expect(() => registry.open(ctx)).toThrow(/CAIRN_MAX_SUBSCRIPTIONS_PER_CONNECTION/);
    const stream = handle.wrap(source);
    source.end();
    expect(await stream.next()).toEqual({ value: undefined, done: true });
    expect(registry.size).toBe(0);
    expect(registry.open(ctx)).toBeDefined();
  });
});
