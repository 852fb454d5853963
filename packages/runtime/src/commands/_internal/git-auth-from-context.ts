/**
 * Git credentials of a command that clones or pushes (detect-changes, update-manifests, copy-config):
 * - a GitHub App in the environment (`ARGOTS_GITHUB_APP_ID`, ...): installation tokens, refreshed before
 *   they expire, used as `x-access-token`;
 * - otherwise `ARGOTS_GIT_TOKEN` (a git host that is not GitHub, or an installation token minted by an
 *   earlier step) — personal access tokens are refused;
 * - otherwise anonymous.
 * Never from argv. `scope` narrows App tokens to what the command needs.
 * The GitHub client (Octokit and App auth, ~260 ms to load) is imported only when an App is configured: a
 * local diff or a plain token never loads it.
 */
import type { CommandContext } from '../../command-handler.js';
import { GITHUB_APP_ENV, refusePersonalAccessToken } from '../../github/app-credentials.js';
import { tokenFromEnv } from '../../git/token-source.js';
import type { GitAuth } from '../../git/token-source.js';
import type { TokenScope } from '../../github/installation-tokens.js';
import { repositoryOfUrl } from '../../github/repository-of-url.js';

export async function gitAuthFromContext(ctx: Pick<CommandContext, 'env' | 'log'>, scope?: TokenScope): Promise<GitAuth | undefined> {
  if (ctx.env[GITHUB_APP_ENV.appId]) {
    const { githubFromContext } = await import('../../github/github-from-env.js');
    return (await githubFromContext(ctx, scope)).gitAuth;
  }
  const token = ctx.env['ARGOTS_GIT_TOKEN'];
  if (token) refusePersonalAccessToken(token, 'ARGOTS_GIT_TOKEN');
  return tokenFromEnv(ctx.env);
}

/** A token for the one repository a clone URL names, with `contents` read or write. */
export function scopeFor(url: string, contents: 'read' | 'write'): TokenScope {
  const name = repositoryOfUrl(url);
  return { ...(name ? { repositories: [name] } : {}), permissions: { contents } };
}
