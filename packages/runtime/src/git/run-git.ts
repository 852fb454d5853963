/**
 * Runs git with argv only (never a shell string) and, when credentials are given, hands them to git through
 * a fixed credential helper that reads the token from the child's environment: the token is never in argv
 * (visible in `ps`), in a URL, in logs or in errors.
 *
 * ```ts
 * const head = await runGit(['rev-parse', 'HEAD'], { cwd: '/workspace/src' });
 * await runGit(['fetch', 'origin', 'main'], { cwd, auth: { token: () => cache.installationToken() } });
 * ```
 */
import { execFile } from 'node:child_process';
import { redact, registerSecret } from '../redact.js';
import { GitError } from './git-error.js';
import type { GitAuth } from './token-source.js';

export interface GitIdentity {
  readonly name: string;
  readonly email: string;
}

export interface RunGitOptions {
  /** Working directory (a repository, or the parent folder for `clone`). */
  readonly cwd: string;
  /** HTTPS credentials. Without them git runs anonymously (never prompting). */
  readonly auth?: GitAuth | undefined;
  /** Author and committer of commits made by this command. Default `argots <argots@users.noreply.invalid>`. */
  readonly identity?: GitIdentity | undefined;
  /** Extra environment for git (merged over the process environment). */
  readonly env?: Readonly<Record<string, string | undefined>> | undefined;
  /** Standard input for git. */
  readonly input?: string | undefined;
  /** Largest stdout accepted, in bytes. Default 512 MiB. */
  readonly maxBuffer?: number | undefined;
  /**
   * Called with stdout piece by piece as git writes it, for work that can start before git exits (the whole
   * stdout is still returned). If it throws, the run rejects with that error once git has exited.
   */
  readonly onStdout?: ((piece: string) => void) | undefined;
}

/** The environment variable the credential helper reads the token from (set only for the git child). */
export const TOKEN_ENV = 'ARGOTS_GIT_TOKEN_FOR_HELPER';
const USERNAME_ENV = 'ARGOTS_GIT_USERNAME_FOR_HELPER';

// A fixed script: no caller value is ever interpolated into it. It answers only `get`.
const HELPER = `!f() { test "$1" = get || return 0; printf 'username=%s\\npassword=%s\\n' "$${USERNAME_ENV}" "$${TOKEN_ENV}"; }; f`;

export const DEFAULT_IDENTITY: GitIdentity = { name: 'argots', email: 'argots@users.noreply.invalid' };

export interface GitResult {
  readonly stdout: string;
  readonly stderr: string;
  readonly exitCode: number;
}

/** Runs git and resolves whatever the exit code (for commands whose exit code is an answer). */
export async function tryGit(args: readonly string[], options: RunGitOptions): Promise<GitResult> {
  const identity = options.identity ?? DEFAULT_IDENTITY;
  const env: Record<string, string | undefined> = {
    ...process.env,
    ...options.env,
    GIT_TERMINAL_PROMPT: '0',
    GIT_ASKPASS: '',
    SSH_ASKPASS: '',
    GCM_INTERACTIVE: 'never',
    LC_ALL: 'C',
    GIT_AUTHOR_NAME: identity.name,
    GIT_AUTHOR_EMAIL: identity.email,
    GIT_COMMITTER_NAME: identity.name,
    GIT_COMMITTER_EMAIL: identity.email,
  };
  const pre: string[] = ['-c', 'core.quotepath=off', '-c', 'advice.detachedHead=false'];
  if (options.auth) {
    const token = await options.auth.token();
    registerSecret(token);
    env[TOKEN_ENV] = token;
    env[USERNAME_ENV] = options.auth.username ?? 'x-access-token';
    // The empty value clears helpers configured elsewhere (a store that could leak or prompt).
    pre.push('-c', 'credential.helper=', '-c', `credential.helper=${HELPER}`, '-c', 'credential.useHttpPath=false');
  }
  return new Promise((resolve, reject) => {
    let listenerError: { readonly error: unknown } | undefined;
    const child = execFile(
      'git',
      [...pre, ...args],
      { cwd: options.cwd, env, maxBuffer: options.maxBuffer ?? 512 * 1024 * 1024, encoding: 'utf8' },
      (error, stdout, stderr) => {
        if (listenerError) {
          reject(listenerError.error);
          return;
        }
        if (error && typeof (error as NodeJS.ErrnoException).code === 'string') {
          reject(new GitError(args, options.cwd, null, redact(`${error.message}`), `install git (it must be on PATH) and check that the folder "${options.cwd}" exists`));
          return;
        }
        const code = error ? ((error as { code?: number }).code ?? 1) : 0;
        resolve({ stdout, stderr: redact(stderr), exitCode: typeof code === 'number' ? code : 1 });
      },
    );
    const onStdout = options.onStdout;
    if (onStdout) {
      child.stdout?.on('data', (piece: string | Buffer) => {
        if (listenerError) return;
        try {
          onStdout(String(piece));
        } catch (error) {
          listenerError = { error };
        }
      });
    }
    // git may exit before it reads its input (a folder that is no repository): the broken pipe is not an
    // error of ours; its exit code and stderr tell what happened.
    child.stdin?.on('error', () => undefined);
    if (options.input !== undefined) child.stdin?.end(options.input);
    else child.stdin?.end();
  });
}

/** Runs git; resolves its stdout, or rejects with a {@link GitError} (stderr redacted). */
export async function runGit(args: readonly string[], options: RunGitOptions): Promise<string> {
  const r = await tryGit(args, options);
  if (r.exitCode !== 0) throw new GitError(args, options.cwd, r.exitCode, r.stderr);
  return r.stdout;
}
