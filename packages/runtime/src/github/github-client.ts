/**
 * The GitHub REST client argots uses: `@octokit/rest` authenticated as a GitHub App installation, against
 * github.com or a GitHub Enterprise Server base URL. Rate limits and secondary rate limits are honoured
 * (`retry-after`, `x-ratelimit-reset`), a refused token is replaced once, and 502/503/504 are retried.
 *
 * ```ts
 * const github = createGitHubClient(await appCredentialsFromEnv(process.env), { log: console.error });
 * await github.octokit.rest.pulls.list({ owner: 'acme', repo: 'shop', state: 'open' });
 * runGit(['fetch', 'origin'], { cwd, auth: github.gitAuth });   // same token, as x-access-token
 * ```
 */
import { Octokit } from '@octokit/rest';
import type { GitAuth } from '../git/token-source.js';
import { redact } from '../redact.js';
import { RuntimeError } from '../runtime-error.js';
import type { GitHubAppCredentials } from './app-credentials.js';
import { createInstallationTokens, gitAuthFrom } from './installation-tokens.js';
import type { InstallationTokens, TokenRequest, TokenScope } from './installation-tokens.js';
import { retryDelay } from './_internal/rate-limit.js';
import { GitHubApiError } from './github-api-error.js';

export interface GitHubClientOptions {
  /** Retries of one request for rate limits and server errors (default 4). */
  readonly maxRetries?: number;
  /** Longest single wait for a rate limit; beyond it the request fails with when to retry (default 15 min). */
  readonly maxWaitMs?: number;
  /** Refresh installation tokens this long before they expire (default 5 min). */
  readonly refreshMarginMs?: number;
  readonly log?: (message: string) => void;
  readonly userAgent?: string;
  /** Narrows the installation tokens to the repositories and permissions the caller needs. */
  readonly scope?: TokenScope;
}

export interface GitHubClient {
  readonly octokit: Octokit;
  readonly tokens: InstallationTokens;
  /** Git over HTTPS with the installation token as `x-access-token`. */
  readonly gitAuth: GitAuth;
  /** The REST API root in use. */
  readonly baseUrl: string;
}

const seconds = (ms: number): string => `${Math.round(ms / 100) / 10}s`;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

interface OctokitLikeError {
  readonly status?: number;
  readonly message?: string;
  readonly response?: { readonly headers?: Record<string, string | number | undefined>; readonly data?: unknown };
}

function withRetries(octokit: Octokit, options: GitHubClientOptions, onUnauthorized?: () => Promise<boolean>): void {
  const maxRetries = options.maxRetries ?? 4;
  const maxWaitMs = options.maxWaitMs ?? 15 * 60_000;
  octokit.hook.wrap('request', async (request, requestOptions) => {
    let refreshed = false;
    for (let attempt = 0; ; attempt++) {
      try {
        return await request(requestOptions);
      } catch (error) {
        const e = error as OctokitLikeError;
        const status = e.status ?? 0;
        const route = `${String(requestOptions.method)} ${String(requestOptions.url)}`;
        if (status === 401 && onUnauthorized && !refreshed) {
          refreshed = true;
          if (await onUnauthorized()) {
            options.log?.(`GitHub refused the installation token for ${route}; retrying once with a new token`);
            continue;
          }
        }
        const data = e.response?.data;
        const message = typeof data === 'object' && data !== null && typeof (data as { message?: unknown }).message === 'string'
          ? (data as { message: string }).message
          : (e.message ?? '');
        const decision = attempt < maxRetries ? retryDelay({ status, headers: e.response?.headers ?? {}, message }, attempt, Date.now()) : undefined;
        if (!decision) {
          if (status === 0 || error instanceof RuntimeError) throw error;
          const details = typeof data === 'object' && data !== null && Array.isArray((data as { errors?: unknown }).errors)
            ? (data as { errors: { message?: string; field?: string; code?: string }[] }).errors.map((x) => x.message ?? `${x.field ?? ''} ${x.code ?? ''}`.trim()).join('; ')
            : '';
          throw new GitHubApiError(route, status, redact(details ? `${message}: ${details}` : message), error);
        }
        if (decision.waitMs > maxWaitMs) {
          throw new RuntimeError('RUN320', `GitHub API ${route}: ${decision.why}; expected a wait of at most ${seconds(maxWaitMs)}, received ${seconds(decision.waitMs)}`, {
            hint: 're-run the step after the reset, or spread the load over more time',
            cause: error,
          });
        }
        options.log?.(redact(`GitHub API ${route}: ${decision.why}; retry ${attempt + 1}/${maxRetries} in ${Math.round(decision.waitMs / 100) / 10}s`));
        await sleep(decision.waitMs);
      }
    }
  });
}

/** A REST client authenticated as the App installation, sharing one token cache with git. */
export function createGitHubClient(credentials: GitHubAppCredentials, options: GitHubClientOptions = {}): GitHubClient {
  const baseUrl = (credentials.baseUrl ?? 'https://api.github.com').replace(/\/+$/, '');
  const userAgent = options.userAgent ?? 'argots-runtime';
  // Unauthenticated: mints tokens (auth-app signs the JWT itself); still honours rate limits.
  const minter = new Octokit({ baseUrl, userAgent, log: quiet });
  withRetries(minter, options);
  const tokens = createInstallationTokens(credentials, {
    request: minter.request as unknown as TokenRequest,
    ...(options.refreshMarginMs === undefined ? {} : { refreshMarginMs: options.refreshMarginMs }),
    ...(options.scope ? { scope: options.scope } : {}),
  });
  const octokit = new Octokit({ baseUrl, userAgent, log: quiet });
  // Registered first, so it runs inside the retry loop: every attempt carries the current token.
  octokit.hook.before('request', async (requestOptions) => {
    requestOptions.headers.authorization = `token ${await tokens.token()}`;
  });
  withRetries(octokit, options, async () => {
    tokens.invalidate();
    return true;
  });
  return { octokit, tokens, gitAuth: gitAuthFrom(tokens), baseUrl };
}

const quiet = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };
