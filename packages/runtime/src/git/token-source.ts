/**
 * Where git credentials come from. A token source is called before every network operation, so a source
 * backed by a GitHub App installation-token cache hands out a fresh token when the old one expires.
 */

/** Returns the current token (for GitHub: an App installation token, used with username `x-access-token`). */
export type TokenSource = () => string | Promise<string>;

/** Credentials for git over HTTPS. The token never reaches argv, logs or errors. */
export interface GitAuth {
  /** Username sent with the token. Default `x-access-token` (how GitHub App installation tokens are used). */
  readonly username?: string;
  readonly token: TokenSource;
}

/**
 * A token source reading an environment variable at call time (default `ARGOTS_GIT_TOKEN`).
 * Returns `undefined` when the variable is unset or empty, so callers can run anonymously.
 */
export function tokenFromEnv(
  env: Readonly<Record<string, string | undefined>>,
  name = 'ARGOTS_GIT_TOKEN',
): GitAuth | undefined {
  const value = env[name];
  if (value === undefined || value === '') return undefined;
  return { token: () => value };
}
