import type { CommandContext } from '../command-handler.js';
import { appCredentialsFromEnv } from './app-credentials.js';
import { createGitHubClient } from './github-client.js';
import type { GitHubClient } from './github-client.js';
import type { TokenScope } from './installation-tokens.js';

/**
 * The GitHub client of a runtime command: App credentials from the step's environment (never argv),
 * progress on the command's log, tokens narrowed to `scope` (the repositories and permissions the command
 * needs). Personal access tokens are refused.
 */
export async function githubFromContext(ctx: Pick<CommandContext, 'env' | 'log'>, scope?: TokenScope): Promise<GitHubClient> {
  return createGitHubClient(await appCredentialsFromEnv(ctx.env), { log: ctx.log, ...(scope ? { scope } : {}) });
}
