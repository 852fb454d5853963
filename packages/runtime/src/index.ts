export { main } from './cli.js';
export type { CliIo } from './cli.js';
export { defineHandler } from './command-handler.js';
export type { CommandContext, CommandHandler, CommandResult } from './command-handler.js';
export { RuntimeError } from './runtime-error.js';
export { redact, registerSecret } from './redact.js';
// git layer (argv only; credentials through a fixed helper fed from the environment)
export { runGit, tryGit, DEFAULT_IDENTITY } from './git/run-git.js';
export type { RunGitOptions, GitResult, GitIdentity } from './git/run-git.js';
export { GitError } from './git/git-error.js';
export { tokenFromEnv } from './git/token-source.js';
export type { TokenSource, GitAuth } from './git/token-source.js';
export { cloneRepository, fetchRefs, ensureCommit, deepenUntil, resolveCommit, isShallow, isAncestor, mergeBase } from './git/repository.js';
export type { CloneOptions } from './git/repository.js';
export { pushWithRetry, isRetryablePushRejection } from './git/push-with-retry.js';
export type { PushWithRetryOptions, PushWithRetryResult, ApplyResult } from './git/push-with-retry.js';
