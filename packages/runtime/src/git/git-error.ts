import { RuntimeError } from '../runtime-error.js';
import { redact } from '../redact.js';
import { gitFailureHint } from './_internal/git-failure-hint.js';

/**
 * A git command that failed: which command (argv, never credentials), where, its exit code and stderr.
 * Without a `hint`, one is read from stderr (unreachable host, repository not found, unknown ref, refused
 * credentials, …).
 */
export class GitError extends RuntimeError {
  readonly args: readonly string[];
  readonly cwd: string;
  readonly exitCode: number | null;
  readonly stderr: string;
  constructor(args: readonly string[], cwd: string, exitCode: number | null, stderr: string, hint?: string) {
    const first = stderr.trim().split('\n').filter((l) => l.trim() !== '').slice(-3).join(' | ');
    super('RUN200', `git ${redact(args.join(' '))} failed in "${cwd}" (exit ${exitCode ?? 'signal'}): ${first || 'no output'}`, {
      hint: hint ?? gitFailureHint(args, cwd, stderr),
    });
    this.name = 'GitError';
    this.args = args;
    this.cwd = cwd;
    this.exitCode = exitCode;
    this.stderr = stderr;
  }
}
