import { ECDH } from 'node:crypto';
import { isIP } from 'node:net';
import { badInput } from '../../errors.ts';
import type { PushPlatform } from '../push-provider.ts';

/** What a client sends to `registerPushDevice` (GraphQL `RegisterPushDeviceInput`). */
export interface PushDeviceInput {
  platform: PushPlatform;
  endpoint?: string | null;
  keys?: { p256dh: string; auth: string } | null;
  token?: string | null;
  name?: string | null;
}

/** A device as it is stored: `address` is the endpoint or the token. */
export interface ValidDevice {
  platform: PushPlatform;
  address: string;
  keys: string | null;
  name: string | null;
}

export interface DeviceRules {
  /** The platforms this server has credentials for (`createPushSender(...).platforms`). */
  platforms: readonly PushPlatform[];
  /** Outside production, `http:` endpoints on loopback are accepted (local push-service fakes). */
  production: boolean;
}

const maxEndpoint = 2048;
const maxName = 100;
const base64url = /^[A-Za-z0-9_-]+$/;
const fcmToken = /^[A-Za-z0-9_:.-]{20,4096}$/;
// APNs tokens are 32 bytes today; Apple warns they may grow, so any even-length hex up to 200 bytes.
const apnsToken = /^(?:[0-9a-f]{2}){16,200}$/i;

const invalid = (field: string, message: string) => badInput(`registerPushDevice: ${field} ${message}`, { field });

/**
 * Checks a registration strictly, naming the field at fault: a Web Push endpoint must be an https
 * URL (http only to loopback outside production) with keys that decode to a P-256 point and a
 * 16-byte secret; native tokens are bounded in length and charset. Platforms this server cannot
 * send to are refused, so a client learns at once instead of never getting a push.
 */
export function validatePushDevice(input: PushDeviceInput, rules: DeviceRules): ValidDevice {
  const { platform } = input;
  if (!rules.platforms.includes(platform)) {
    const configured = rules.platforms.length ? rules.platforms.join(', ') : 'none';
    throw badInput(`registerPushDevice: ${platform} push is not configured on this server (configured: ${configured})`, { field: 'platform', configured: [...rules.platforms] });
  }
  const name = validName(input.name);
  if (platform === 'webpush') {
    if (input.token != null) throw invalid('token', 'is for fcm and apns; a webpush device sends endpoint and keys');
    if (input.endpoint == null) throw invalid('endpoint', 'is required for webpush (PushSubscription.endpoint)');
    if (!input.keys) throw invalid('keys', 'is required for webpush (PushSubscription.toJSON().keys)');
    const endpoint = validEndpoint(input.endpoint, rules.production);
    const p256dh = decodeKey('keys.p256dh', input.keys.p256dh, 65);
    try {
      // Decoding is not enough: the point must lie on the curve, or every encryption to it fails.
      ECDH.convertKey(p256dh, 'prime256v1');
    } catch {
      throw invalid('keys.p256dh', 'is not an uncompressed P-256 public key (65 bytes starting 0x04, on the curve)');
    }
    decodeKey('keys.auth', input.keys.auth, 16);
    return { platform, address: endpoint, keys: JSON.stringify({ p256dh: input.keys.p256dh, auth: input.keys.auth }), name };
  }
  if (input.endpoint != null) throw invalid('endpoint', `is for webpush; a ${platform} device sends token`);
  if (input.keys != null) throw invalid('keys', `are for webpush; a ${platform} device sends token`);
  if (input.token == null) throw invalid('token', `is required for ${platform}`);
  const pattern = platform === 'fcm' ? fcmToken : apnsToken;
  if (!pattern.test(input.token)) {
    const expected = platform === 'fcm' ? '20 to 4096 characters of A-Z a-z 0-9 _ : . -' : 'hexadecimal, 32 to 200 bytes';
    throw invalid('token', `is not a ${platform} token (expected ${expected}; got ${input.token.length} characters)`);
  }
  return { platform, address: platform === 'apns' ? input.token.toLowerCase() : input.token, keys: null, name };
}

function validName(name: string | null | undefined): string | null {
  if (name == null) return null;
  const trimmed = name.trim();
  if (trimmed.length > maxName) throw invalid('name', `is at most ${maxName} characters (got ${trimmed.length})`);
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(trimmed)) throw invalid('name', 'must not contain control characters');
  return trimmed || null;
}

function validEndpoint(endpoint: string, production: boolean): string {
  if (endpoint.length > maxEndpoint) throw invalid('endpoint', `is at most ${maxEndpoint} characters (got ${endpoint.length})`);
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw invalid('endpoint', 'is not a URL');
  }
  if (url.username || url.password) throw invalid('endpoint', 'must not carry credentials');
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const loopback = host === 'localhost' || isLoopback(host);
  if (url.protocol === 'http:') {
    if (production || !loopback) throw invalid('endpoint', `must be an https URL${production ? '' : ' (http only to localhost outside production)'}`);
  } else if (url.protocol !== 'https:') {
    throw invalid('endpoint', 'must be an https URL');
  }
  // The server POSTs to this URL: in production it may not point into the server's own network.
  if (production && (loopback || isPrivate(host))) throw invalid('endpoint', 'must not point to a loopback or private address');
  return url.href;
}

function isLoopback(host: string): boolean {
  if (isIP(host) === 4) return host.startsWith('127.');
  return host === '::1';
}

function isPrivate(host: string): boolean {
  const family = isIP(host);
  if (family === 4) {
    const [a, b] = host.split('.').map(Number) as [number, number];
    return a === 10 || a === 0 || (a === 172 && b >= 16 && b < 32) || (a === 192 && b === 168) || (a === 169 && b === 254) || (a === 100 && b >= 64 && b < 128);
  }
  if (family === 6) return /^(fc|fd|fe80|::ffff:|::$)/i.test(host);
  return false;
}

function decodeKey(field: string, value: string, bytes: number): Buffer {
  // Browsers give unpadded base64url; padding is tolerated, other alphabets are not.
  const bare = value.replace(/={1,2}$/, '');
  if (!base64url.test(bare)) throw invalid(field, 'must be base64url (A-Z a-z 0-9 - _)');
  const decoded = Buffer.from(bare, 'base64url');
  if (decoded.length !== bytes || decoded.toString('base64url') !== bare) throw invalid(field, `must decode to ${bytes} bytes (got ${decoded.length})`);
  return decoded;
}
