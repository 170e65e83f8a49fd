/** Who the provider says signed in. */
export interface OAuthProfile {
  /** The provider's stable id for the account (`sub`, GitHub's numeric id). */
  providerAccountId: string;
  email: string | null;
  /** Whether the provider vouches that the account owns `email`; only then may it link by e-mail. */
  emailVerified: boolean;
  name: string | null;
}

/** One sign-in provider: authorization code flow with PKCE (S256). */
export interface OAuthProvider {
  /** The path segment: `/auth/<name>/start`, and `Account.provider`. */
  name: string;
  /** Where to send the browser; the provider returns it to `<PUBLIC_URL>/auth/<name>/callback`. */
  authorizationUrl(state: string, codeVerifier: string): Promise<URL>;
  /** Exchanges the code (proving the verifier) and reads the profile. */
  profile(code: string, codeVerifier: string): Promise<OAuthProfile>;
}

/** GET `url` with a bearer access token, as JSON; errors name the URL and status. */
export async function fetchJson<T>(url: string, accessToken: string): Promise<T> {
  const response = await fetch(url, {
    headers: { authorization: `Bearer ${accessToken}`, accept: 'application/json', 'user-agent': 'cairn' },
    signal: AbortSignal.timeout(10_000),
  });
  if (!response.ok) throw new Error(`${url} answered ${response.status}`);
  return (await response.json()) as T;
}
