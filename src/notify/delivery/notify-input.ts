import { createHash, randomUUID } from 'node:crypto';
import type { Datamodel } from '../../db/index.ts';
import { badInput } from '../../errors.ts';
import { notificationChannels, notificationTypeName, type NotificationChannel } from '../notification-types.ts';

type UserId = string | number;

/**
 * Who gets a notification: listed users, or every user who may read one row under the schema's
 * read rules (optionally only those among listed users).
 */
export type Audience =
  | { users: readonly UserId[] }
  | { readersOf: { model: string; where: Record<string, unknown> }; among?: { users: readonly UserId[] } };

/** What `ctx.notify` takes. */
export interface NotifyInput {
  to: Audience;
  /** A declared type (`notifications` in functions/index.ts) or any other name (default channels). */
  type: string;
  title?: string;
  body?: string;
  /** String values, passed to the client and the push payload as they are. */
  data?: Record<string, string>;
  /** Opened when the notification is tapped or clicked. */
  url?: string;
  /** Narrows the type's channels for this call (preferences still apply). */
  channels?: NotificationChannel[];
  /**
   * `offline`: push only to recipients not online when their page is delivered (online: an open
   * subscription or live query on any instance); online ones still get the inbox entry and
   * `notificationAdded`. E-mail is not affected. @default "always"
   */
  push?: 'always' | 'offline';
  /**
   * Idempotency: one inbox entry, push and e-mail per user and key, however often `notify` runs with
   * it (a retried mutation, a re-run job). @default one derived from this call's id
   */
  key?: string;
}

/** What `ctx.notify` resolves with. */
export interface NotifyReceipt {
  /** The delivery's id (the same for every call with the same key). */
  id: string;
  /** False when a delivery with this key was enqueued before (nothing new is sent). */
  enqueued: boolean;
}

/** `ctx.notify(input)`; `ctx.notify.within(tx)(input)` enqueues in the transaction `tx` (sent only if it commits). */
export interface Notify {
  (input: NotifyInput, options?: { db?: unknown }): Promise<NotifyReceipt>;
  within(db: unknown): (input: NotifyInput) => Promise<NotifyReceipt>;
}

/** The fan-out job's payload: the validated input, the delivery's id and key, where the audience's paging stands. */
export interface FanOutPayload extends Pick<NotifyInput, 'to' | 'type' | 'title' | 'body' | 'data' | 'url' | 'channels'> {
  id: string;
  key: string;
  /** Present only when pushes skip online recipients. */
  push?: 'offline';
  page: number;
  cursor: UserId | null;
}

const limits = { title: 256, body: 4000, url: 2048, key: 200, data: 4096, users: 10_000 };

/** A UUID-shaped id derived from its parts, so a re-run computes the same one. */
export function derivedId(...parts: readonly (string | number)[]): string {
  const hex = createHash('sha256').update(parts.map(String).join('\u0000')).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${((parseInt(hex[16]!, 16) & 3) | 8).toString(16)}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

const optionalString = (name: string, value: unknown, max: number): string | undefined => {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw badInput(`notify: ${name} must be a string, got ${typeof value}`, { field: name });
  if (value.length > max) throw badInput(`notify: ${name} is ${value.length} characters; at most ${max}`, { field: name });
  return value;
};

/** Validates a user id list against the User id's type (digit strings become numbers for Int ids). */
function userIds(name: string, value: unknown, idType: string): UserId[] {
  if (!Array.isArray(value)) throw badInput(`notify: ${name} must be a list of user ids`, { field: name });
  if (value.length > limits.users) throw badInput(`notify: ${name} lists ${value.length} users; at most ${limits.users} (use readersOf for larger audiences)`, { field: name });
  return [...new Set(value.map((id) => {
    if (idType === 'Int' || idType === 'BigInt') {
      const n = typeof id === 'string' && /^\d{1,15}$/.test(id) ? Number(id) : id;
      if (!Number.isSafeInteger(n)) throw badInput(`notify: ${name} holds ${JSON.stringify(id)}; user ids are integers`, { field: name });
      return n as number;
    }
    if (typeof id !== 'string' || !id || id.length > 200) throw badInput(`notify: ${name} holds ${JSON.stringify(id)}; user ids are strings`, { field: name });
    return id;
  }))];
}

/** Checks `ctx.notify`'s input at the call (BAD_USER_INPUT naming the field), so a job never holds what cannot be sent. */
export function resolveNotifyInput(input: NotifyInput, datamodel: Datamodel): FanOutPayload {
  if (!input || typeof input !== 'object') throw badInput('notify: expected { to, type, … }');
  if (typeof input.type !== 'string' || !notificationTypeName.test(input.type)) throw badInput(`notify: type must be 1-64 letters, digits, "_", "-" or ".", starting with a letter; got ${JSON.stringify(input.type)}`, { field: 'type' });
  const idType = datamodel.models.find((m) => m.name === 'User')?.fields.find((f) => f.isId)?.type ?? 'String';
  const to = input.to as Record<string, unknown> | undefined;
  let audience: Audience;
  if (to && 'users' in to && !('readersOf' in to)) audience = { users: userIds('to.users', to.users, idType) };
  else if (to && 'readersOf' in to) {
    const readersOf = to.readersOf as { model?: unknown; where?: unknown } | undefined;
    const model = datamodel.models.find((m) => m.name === readersOf?.model);
    if (!model) throw badInput(`notify: to.readersOf.model ${JSON.stringify(readersOf?.model)} is not a model (models: ${datamodel.models.map((m) => m.name).join(', ')})`, { field: 'to.readersOf.model' });
    const where = readersOf!.where;
    if (!where || typeof where !== 'object' || Array.isArray(where) || !Object.keys(where).length) throw badInput('notify: to.readersOf.where must be a unique where of the row, e.g. { id: 1 }', { field: 'to.readersOf.where' });
    const among = to.among as { users?: unknown } | undefined;
    audience = { readersOf: { model: model.name, where: where as Record<string, unknown> }, ...(among !== undefined && { among: { users: userIds('to.among.users', among?.users, idType) } }) };
  } else throw badInput('notify: to must be { users: [ids] } or { readersOf: { model, where }, among? }', { field: 'to' });
  if (input.data !== undefined && input.data !== null) {
    if (typeof input.data !== 'object' || Array.isArray(input.data) || Object.values(input.data).some((v) => typeof v !== 'string')) throw badInput('notify: data must be an object of string values', { field: 'data' });
    if (JSON.stringify(input.data).length > limits.data) throw badInput(`notify: data is over ${limits.data} bytes of JSON (push services cap payloads near 4 KB)`, { field: 'data' });
  }
  if (input.channels !== undefined) {
    if (!Array.isArray(input.channels) || input.channels.some((c) => !notificationChannels.includes(c))) throw badInput(`notify: channels must be a list of ${notificationChannels.join(', ')}`, { field: 'channels' });
  }
  if (input.push !== undefined && input.push !== 'always' && input.push !== 'offline') throw badInput(`notify: push must be "always" or "offline", got ${JSON.stringify(input.push)}`, { field: 'push' });
  const key = optionalString('key', input.key, limits.key);
  const url = optionalString('url', input.url, limits.url);
  if (url !== undefined && !/^(https?:\/\/|\/)/.test(url)) throw badInput('notify: url must be absolute (https://…) or a path (/…)', { field: 'url' });
  const id = key === undefined ? randomUUID() : derivedId('notify', key);
  return {
    id,
    key: key ?? `cairn:${id}`,
    type: input.type,
    title: optionalString('title', input.title, limits.title),
    body: optionalString('body', input.body, limits.body),
    ...(input.data ? { data: { ...input.data } } : {}),
    ...(url !== undefined && { url }),
    ...(input.channels && { channels: [...new Set(input.channels)] }),
    ...(input.push === 'offline' && { push: 'offline' as const }),
    to: audience,
    page: 0,
    cursor: null,
  };
}
