/**
 * GitHub App installation tokens: a JWT signed with the App's private key (RS256, by `@octokit/auth-app`)
 * buys an installation token; the token is cached until shortly before it expires and then replaced. The
 * same token serves the REST API and git over HTTPS (`x-access-token`).
 *
 * ```ts
 * const tokens = createInstallationTokens(credentials, { request: client.request });
 * await tokens.token();               // minted once, then cached
 * const auth = gitAuthFrom(tokens);   // for the git layer: runGit([...], { cwd, auth })
 * ```
 */
import { createAppAuth } from '@octokit/auth-app';
import type { GitAuth } from '../git/token-source.js';
import { registerSecret } from '../redact.js';
import { RuntimeError } from '../runtime-error.js';
import type { GitHubAppCredentials } from './app-credentials.js';
import { refusePersonalAccessToken } from './app-credentials.js';

/** The request function used to mint tokens (an Octokit instance's `request`, so retries and base URL apply). */
export type TokenRequest = NonNullable<Parameters<typeof createAppAuth>[0]['request']>;

/**
 * What a token may do: the repositories (names, within the installation's owner) and permissions a step
 * needs. GitHub mints a token narrowed to them (`POST /app/installations/{id}/access_tokens` with
 * `repositories` and `permissions`); without a scope the token has everything the installation has.
 */
export interface TokenScope {
  /** Repository names (`shop`, not `acme/shop`); `owner/name` is accepted and the owner dropped. */
  readonly repositories?: readonly string[];
  /** GitHub App permissions, e.g. `{ contents: 'read' }` or `{ contents: 'write', pull_requests: 'write' }`. */
  readonly permissions?: Readonly<Record<string, 'read' | 'write'>>;
}

export interface InstallationTokensOptions {
  /** Narrows every minted token (default: the installation's full access). */
  readonly scope?: TokenScope;
  /** Refresh this long before the token expires (default 5 minutes; GitHub tokens live one hour). */
  readonly refreshMarginMs?: number;
  readonly request?: TokenRequest;
  /** Clock, for expiry decisions (default `Date.now`). */
  readonly now?: () => number;
}

export interface InstallationTokens {
  /** A token valid for at least the refresh margin: the cached one, or a freshly minted one. */
  token(): Promise<string>;
  /** Forgets the cached token (after the server refused it), so the next call mints a new one. */
  invalidate(): void;
  /** How many tokens were minted so far. */
  readonly minted: number;
  /** When the cached token expires, if one is cached. */
  readonly expiresAt: Date | undefined;
}

export function createInstallationTokens(credentials: GitHubAppCredentials, options: InstallationTokensOptions = {}): InstallationTokens {
  registerSecret(credentials.privateKey);
  const auth = createAppAuth({
    appId: credentials.appId,
    privateKey: credentials.privateKey,
    installationId: credentials.installationId,
    ...(options.request ? { request: options.request } : {}),
  });
  const margin = options.refreshMarginMs ?? 5 * 60_000;
  const now = options.now ?? Date.now;
  const scope = options.scope;
  const narrowing = {
    ...(scope?.repositories?.length ? { repositoryNames: [...new Set(scope.repositories.map((r) => r.slice(r.lastIndexOf('/') + 1)))] } : {}),
    ...(scope?.permissions ? { permissions: { ...scope.permissions } } : {}),
  };
  let cached: { token: string; expiresAt: number } | undefined;
  let pending: Promise<string> | undefined;
  let minted = 0;
  const mint = async (): Promise<string> => {
    let result: { token: string; expiresAt: string };
    try {
      // `refresh: true`: auth-app's own cache keeps tokens 59 minutes whatever their expiry; ours decides.
      result = await auth({ type: 'installation', refresh: true, ...narrowing });
    } catch (error) {
      const status = (error as { status?: number }).status;
      const detail = error instanceof Error ? error.message : String(error);
      throw new RuntimeError('RUN310', `GitHub App ${credentials.appId}: could not get a token for installation ${credentials.installationId}${status ? ` (HTTP ${status})` : ''}: ${detail}`, {
        hint: status === 401
          ? "the App's private key or id is wrong (the JWT was refused)"
          : status === 404
            ? 'the installation id is wrong, or the App is not installed there'
            : status === 422
              ? `the token was asked for ${JSON.stringify(narrowing)}; the App must be installed on those repositories and hold those permissions`
              : 'check the App credentials and the GitHub API URL',
        cause: error,
      });
    }
    refusePersonalAccessToken(result.token, 'the installation token');
    registerSecret(result.token);
    minted++;
    cached = { token: result.token, expiresAt: Date.parse(result.expiresAt) };
    return result.token;
  };
  return {
    async token() {
      if (cached && cached.expiresAt - margin > now()) return cached.token;
      pending ??= mint().finally(() => {
        pending = undefined;
      });
      return pending;
    },
    invalidate() {
      cached = undefined;
    },
    get minted() {
      return minted;
    },
    get expiresAt() {
      return cached ? new Date(cached.expiresAt) : undefined;
    },
  };
}

/** Git credentials backed by installation tokens: a fresh token for every git network operation. */
export function gitAuthFrom(tokens: InstallationTokens): GitAuth {
  return { username: 'x-access-token', token: () => tokens.token() };
}
