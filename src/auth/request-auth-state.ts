/** How the viewer of a request proved who they are. */
export type Credential =
  | { kind: 'session'; sessionId: string; via: 'cookie' | 'bearer' | 'connection-params' }
  | { kind: 'api-token'; tokenId: string };

/** What auth remembers about one request: credential, address, cookies for the response. */
export interface RequestAuthState {
  credential?: Credential;
  /** The socket's remote address (HTTP and WebSocket upgrade alike). */
  socketAddress?: string;
  /** `Set-Cookie` values the HTTP response will carry (ignored over WebSocket). */
  setCookies: string[];
}

// Keyed by the request object of the context: request-scoped, collected with it, no globals.
const states = new WeakMap<Request, RequestAuthState>();

export function requestAuthState(request: Request): RequestAuthState {
  let state = states.get(request);
  if (!state) states.set(request, (state = { setCookies: [] }));
  return state;
}

/** Cookies a request's response must set, without creating state for requests that have none. */
export const pendingCookies = (request: Request): readonly string[] => states.get(request)?.setCookies ?? [];
