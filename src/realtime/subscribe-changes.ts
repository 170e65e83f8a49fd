import { queryFromInfo } from '@pothos/plugin-prisma';
import type { GraphQLResolveInfo } from 'graphql';
import { and } from './filter-helpers.ts';
import { encodeMessage, type ChangeEvent, type EventBus } from '../events/index.ts';
import type { Filter, Row, SubscriberRules, ViewerRules } from '../access/index.ts';
import type { Model } from '../db/index.ts';
import type { Context } from '../schema/index.ts';
import { PushQueue } from './async-queue.ts';
import { changeTopic, type ChangeMessage } from './change-topics.ts';
import { classifyChange, type ChangeKindSeen } from './classify-change.ts';
import type { EventScope, NodeLoader } from './load-node.ts';
import type { RowMatcher } from './match-row.ts';

/** Which events a field delivers: `postCreated`, `postUpdated`, `postDeleted`, or all (`postChanged`). */
export type ChangeFieldMode = 'created' | 'updated' | 'deleted' | 'changed';

const delivers: Record<ChangeFieldMode, ReadonlySet<ChangeKindSeen>> = {
  created: new Set(['CREATED']),
  // A row updated into view is an update to whoever only listens to updates.
  updated: new Set(['UPDATED', 'ENTERED']),
  deleted: new Set(['DELETED']),
  changed: new Set(['CREATED', 'UPDATED', 'DELETED', 'ENTERED', 'LEFT']),
};

export interface ChangePayload {
  kind: ChangeKindSeen;
  node: Row;
}

export interface ChangeStreams {
  /** The source stream of one subscription field: bus events, checked and loaded for this subscriber. */
  subscribe(model: string, where: unknown, mode: ChangeFieldMode, ctx: Context, info: GraphQLResolveInfo): Promise<AsyncIterableIterator<ChangePayload>>;
  /** Change streams with a live bus subscription (tests wait for these before writing). */
  readonly active: number;
}

export interface ChangeStreamDeps {
  bus: EventBus;
  rules: SubscriberRules;
  matcher: RowMatcher;
  loader: NodeLoader;
  /** Payloads buffered per subscriber before the oldest is dropped (and the subscriber told). */
  bufferLimit: number;
  /** Tells the operation of `ctx` that it may have missed events. */
  gap(ctx: Context): void;
  logError(error: unknown): void;
}

/**
 * Subscribers that see every event alike: same model, field, `where`, viewer and selection. The
 * group classifies and loads each event once, in commit order, and pushes the one payload to
 * each member; an idle subscription is then only its member queue.
 */
class StreamGroup {
  readonly members = new Set<ChangeStream>();
  // Events are handled one after another, so a subscriber sees them in commit order.
  #chain: Promise<void> = Promise.resolve();
  readonly key: string;
  readonly #streams: Streams;
  readonly #model: Model;
  readonly #filter: Filter;
  readonly #wanted: ReadonlySet<ChangeKindSeen>;
  readonly #query: object;
  readonly #viewerRules: ViewerRules;
  readonly #loadGroup: string;
  constructor(streams: Streams, key: string, model: Model, filter: Filter, wanted: ReadonlySet<ChangeKindSeen>, query: object, viewerRules: ViewerRules, loadGroup: string) {
    this.#streams = streams;
    this.key = key;
    this.#model = model;
    this.#filter = filter;
    this.#wanted = wanted;
    this.#query = query;
    this.#viewerRules = viewerRules;
    this.#loadGroup = loadGroup;
  }

  /** Queues `event` for the members that were listening when it arrived (`seq`). */
  enqueue(event: ChangeEvent, seq: number): void {
    this.#chain = this.#chain.then(() => this.#handle(event, seq)).catch(this.#streams.logError);
  }

  async #handle(event: ChangeEvent, seq: number): Promise<void> {
    const first = this.#first(seq);
    if (!first) return;
    const { matcher, loader } = this.#streams;
    const scope = this.#streams.scopeOf(event);
    const kind = await classifyChange(matcher, this.#model, this.#filter, event, scope.probes);
    if (!kind || !this.#wanted.has(kind)) return;
    // Loaded through the first member's own client (its rules): every member shares viewer and selection.
    const node = await loader.load(kind, event, this.#query as never, first.ctx, this.#viewerRules, scope, this.#loadGroup);
    // Gone or hidden again by the time it was loaded: a later event tells the rest.
    if (!node) return;
    // One payload object per viewer, selection and kind (across groups): the execution of the
    // selection over it is shared by every subscriber that gets the same object (share-execution.ts).
    const id = `${kind}:${this.#loadGroup}`;
    let payload = scope.payloads.get(id) as ChangePayload | undefined;
    if (!payload) scope.payloads.set(id, (payload = { kind, node }));
    for (const member of this.members) if (member.since < seq) member.push(payload);
  }

  #first(seq: number): ChangeStream | undefined {
    for (const member of this.members) if (member.since < seq) return member;
    return undefined;
  }
}

/** One subscriber's stream: the payloads its group pushes, buffered up to the limit. */
class ChangeStream extends PushQueue<ChangePayload> {
  readonly ctx: Context;
  readonly #group: StreamGroup;
  readonly #topic: Topic;
  /** The topic's message count when it joined: it gets the messages after. */
  since = Infinity;
  counted = false;
  constructor(ctx: Context, group: StreamGroup, topic: Topic, limit: number) {
    super(limit);
    this.ctx = ctx;
    this.#group = group;
    this.#topic = topic;
  }
  protected override overflowed(): void {
    this.#topic.streams.gap(this.ctx);
  }
  protected override returned(): void {
    this.#topic.leave(this, this.#group);
  }
}

/** One bus listener per model topic, fanning each message out to the topic's groups. */
class Topic {
  readonly groups = new Map<string, StreamGroup>();
  readonly streams: Streams;
  readonly #name: string;
  seq = 0;
  #stop: (() => void) | undefined;
  #listening: Promise<void> | undefined;
  constructor(streams: Streams, name: string) {
    this.streams = streams;
    this.#name = name;
  }

  /** Resolves once the bus delivers this topic's messages (the first member subscribes it). */
  listen(): Promise<void> {
    return (this.#listening ??= this.streams.bus.subscribe(this.#name, (message) => this.#receive(message as ChangeMessage)).then(
      (stop) => {
        this.#stop = stop;
        if (!this.groups.size) this.#close();
      },
      (error: unknown) => {
        this.#close();
        throw error;
      },
    ));
  }

  #receive(message: ChangeMessage): void {
    const seq = ++this.seq;
    for (const event of message.changes) for (const group of this.groups.values()) group.enqueue(event, seq);
  }

  leave(stream: ChangeStream, group: StreamGroup): void {
    if (stream.counted) this.streams.active -= 1;
    group.members.delete(stream);
    if (group.members.size) return;
    this.groups.delete(group.key);
    if (!this.groups.size) this.#close();
  }

  #close(): void {
    if (this.streams.topics.get(this.#name) === this) this.streams.topics.delete(this.#name);
    this.#stop?.();
    this.#stop = undefined;
  }
}

/** What every topic and group of one ChangeStreams shares. */
interface Streams {
  bus: EventBus;
  matcher: RowMatcher;
  loader: NodeLoader;
  topics: Map<string, Topic>;
  active: number;
  scopeOf(event: ChangeEvent): EventScope;
  gap(ctx: Context): void;
  logError(error: unknown): void;
}

export function createChangeStreams(deps: ChangeStreamDeps): ChangeStreams {
  const { rules, loader } = deps;
  // One memo per event object: every local subscriber receives the same decoded event.
  const scopes = new WeakMap<ChangeEvent, EventScope>();
  const streams: Streams = {
    bus: deps.bus,
    matcher: deps.matcher,
    loader,
    topics: new Map(),
    active: 0,
    scopeOf(event) {
      let scope = scopes.get(event);
      if (!scope) scopes.set(event, (scope = { probes: new Map(), nodes: new Map(), payloads: new Map() }));
      return scope;
    },
    gap: deps.gap,
    logError: deps.logError,
  };

  return {
    get active() {
      return streams.active;
    },
    async subscribe(modelName, where, mode, ctx, info) {
      const query = queryFromInfo({ context: ctx, info, ...(mode === 'changed' && { path: ['node'] }) }) as object;
      const loadGroup = loader.groupOf(ctx, query);
      const topicName = changeTopic(modelName);
      let topic = streams.topics.get(topicName);
      if (!topic) streams.topics.set(topicName, (topic = new Topic(streams, topicName)));
      // The group's filter depends on the viewer (in loadGroup) and `where` alone.
      const key = `${mode}\n${encodeMessage(where ?? null)}\n${loadGroup}`;
      let group = topic.groups.get(key);
      if (!group) {
        const viewerRules = rules.forViewer(ctx.viewer);
        const filter = and(viewerRules.model(modelName, 'read'), rules.guardWhere(viewerRules, modelName, where) ?? true);
        group = new StreamGroup(streams, key, rules.info.model(modelName), filter, delivers[mode], query, viewerRules, loadGroup);
        topic.groups.set(key, group);
      }
      const stream = new ChangeStream(ctx, group, topic, deps.bufferLimit);
      group.members.add(stream);
      try {
        await topic.listen();
      } catch (error) {
        void stream.return();
        throw error;
      }
      if (!stream.ended) {
        stream.since = topic.seq;
        stream.counted = true;
        streams.active += 1;
      }
      return stream;
    },
  };
}
