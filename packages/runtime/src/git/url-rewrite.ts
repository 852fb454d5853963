/**
 * git's `url.<base>.insteadOf` rules, applied to the URLs the runtime contacts itself (Argo CD's API), so one
 * setting redirects git remotes and HTTP endpoints alike: a mirror, or a local run whose GitHub and Argo CD
 * are test servers (`argots run --env GIT_CONFIG_COUNT=1 --env GIT_CONFIG_KEY_0=url.http://127.0.0.1:8080.insteadOf
 * --env GIT_CONFIG_VALUE_0=https://argocd.acme.io`). The rules are read with `git config`, so every place git
 * reads configuration counts (system, global, `GIT_CONFIG_*`). As in git, the longest matching prefix wins.
 *
 * ```ts
 * const server = await rewriteUrl('https://argocd.acme.io');
 * ```
 */
import { tmpdir } from 'node:os';
import { tryGit } from './run-git.js';

export interface InsteadOf {
  /** The URL prefix used instead. */
  readonly base: string;
  /** The prefix it replaces. */
  readonly insteadOf: string;
}

/** Parses `git config --get-regexp '^url\..*\.insteadof$'` output (`url.<base>.insteadof <prefix>` per line). */
export function parseInsteadOf(output: string): InsteadOf[] {
  const rules: InsteadOf[] = [];
  for (const line of output.split('\n')) {
    const space = line.indexOf(' ');
    if (space < 0) continue;
    const key = line.slice(0, space);
    if (!key.startsWith('url.') || !key.toLowerCase().endsWith('.insteadof')) continue;
    rules.push({ base: key.slice(4, -'.insteadof'.length), insteadOf: line.slice(space + 1) });
  }
  return rules;
}

/** `url` with the longest matching `insteadOf` prefix replaced by its base (unchanged when none matches). */
export function applyInsteadOf(url: string, rules: readonly InsteadOf[]): string {
  let best: InsteadOf | undefined;
  for (const r of rules) if (r.insteadOf !== '' && url.startsWith(r.insteadOf) && (!best || r.insteadOf.length > best.insteadOf.length)) best = r;
  return best ? `${best.base}${url.slice(best.insteadOf.length)}` : url;
}

/** The URL as git would rewrite it with this machine's and this process's git configuration. */
export async function rewriteUrl(url: string, env: Readonly<Record<string, string | undefined>> = process.env): Promise<string> {
  const r = await tryGit(['config', '--get-regexp', '^url\\..*\\.insteadof$'], { cwd: tmpdir(), env });
  // Exit code 1: no such setting.
  return r.exitCode === 0 ? applyInsteadOf(url, parseInsteadOf(r.stdout)) : url;
}
