/**
 * A small GitHub on loopback for the flow tests: git over smart HTTP accepting only a currently valid
 * installation token, and the GitHub API test server minting those tokens for the App's JWT, both backed by
 * the same bare repositories. Plus helpers to seed repositories and to prove that no work was lost.
 */
import { execFile } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import * as assert from 'uvu/assert';
import { startGitHttpServer } from '../../../../test/support/git-http-server.js';
import type { GitHttpServer } from '../../../../test/support/git-http-server.js';
import { startGitHubApiServer } from '../../../../test/support/github-api-server.js';
import type { GitHubApiServer } from '../../../../test/support/github-api-server.js';
import type { GitHubAppCredentials } from '../../src/index.js';

const run = promisify(execFile);

/** Async git (the servers run in this process: a synchronous client would deadlock them). */
export async function git(cwd: string, ...args: string[]): Promise<string> {
  const { stdout } = await run('git', ['-c', 'user.email=dev@example.com', '-c', 'user.name=dev', '-c', 'init.defaultBranch=master', ...args], {
    cwd,
    env: { ...process.env, GIT_TERMINAL_PROMPT: '0' },
  });
  return stdout;
}

// One key pair per process: RSA generation is the slow part.
let keys: { privateKey: string; publicKey: string } | undefined;
function appKeys(): { privateKey: string; publicKey: string } {
  keys ??= generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs1', format: 'pem' }, // as GitHub issues App keys
  });
  return keys;
}

export interface World {
  readonly gitServer: GitHttpServer;
  readonly api: GitHubApiServer;
  readonly credentials: GitHubAppCredentials;
  readonly publicKey: string;
  /** A scratch folder, removed by `close`. */
  readonly scratch: string;
  /** Creates `owner/name` with the given branches, each a list of commits (files to write). */
  createRepo(name: string, defaultBranch?: string): Promise<{ url: string; seed: string }>;
  /** Commits files in the seed clone of a repository on a branch and pushes it (directly to the bare repository). */
  commit(name: string, branch: string, files: Record<string, string>, message?: string): Promise<string>;
  /** Creates `branch` at the tip of `from` on the server. */
  branch(name: string, branch: string, from: string): Promise<string>;
  tip(name: string, branch: string): Promise<string | undefined>;
  /** Everything on the server now: branch tips and every reachable commit. */
  snapshot(name: string): Promise<Snapshot>;
  /** No branch moved backwards or vanished, and every commit reachable before is reachable now. */
  assertNothingLost(name: string, before: Snapshot): Promise<void>;
  close(): Promise<void>;
}

export interface Snapshot {
  readonly tips: ReadonlyMap<string, string>;
  readonly commits: ReadonlySet<string>;
}

export async function createWorld(options: { tokenLifetimeSeconds?: number; pathPrefix?: string; beforePush?: (repo: string) => void | Promise<void> } = {}): Promise<World> {
  const { privateKey, publicKey } = appKeys();
  let api: GitHubApiServer | undefined;
  const gitServer = await startGitHttpServer({
    authorize: (c, r) => c?.username === 'x-access-token' && api !== undefined && api.allows(c.password, r.repo, r.write),
    beforePush: (repo) => options.beforePush?.(repo),
  });
  api = await startGitHubApiServer({
    gitRoot: gitServer.root,
    appId: '424242',
    publicKey,
    installationId: 7,
    ...(options.tokenLifetimeSeconds === undefined ? {} : { tokenLifetimeSeconds: options.tokenLifetimeSeconds }),
    ...(options.pathPrefix === undefined ? {} : { pathPrefix: options.pathPrefix }),
  });
  const scratch = await mkdtemp(join(tmpdir(), 'argots-world-'));
  const seeds = new Map<string, string>();
  const bare = (name: string): string => gitServer.repoPath(`${name}.git`);
  const world: World = {
    gitServer,
    api,
    credentials: { appId: '424242', privateKey, installationId: 7, baseUrl: api.baseUrl },
    publicKey,
    scratch,
    async createRepo(name, defaultBranch = 'master') {
      const url = gitServer.createRepo(`${name}.git`, { defaultBranch });
      const seed = join(scratch, 'seed', name);
      await mkdir(seed, { recursive: true });
      await git(seed, 'init', '--quiet', `--initial-branch=${defaultBranch}`);
      await git(seed, 'remote', 'add', 'origin', bare(name));
      seeds.set(name, seed);
      return { url, seed };
    },
    async commit(name, branch, files, message = `change ${Object.keys(files).join(', ')}`) {
      const seed = seeds.get(name);
      if (!seed) throw new Error(`no repo ${name}`);
      const exists = (await git(seed, 'ls-remote', '--heads', 'origin', `refs/heads/${branch}`)).trim() !== '';
      if (exists) {
        await git(seed, 'fetch', '--quiet', 'origin', `+refs/heads/${branch}:refs/remotes/origin/${branch}`);
        await git(seed, 'checkout', '--quiet', '--force', '-B', branch, `refs/remotes/origin/${branch}`);
      } else {
        await git(seed, 'checkout', '--quiet', '--orphan', branch);
        await git(seed, 'rm', '-rfq', '--ignore-unmatch', '.');
      }
      for (const [file, text] of Object.entries(files)) {
        await mkdir(dirname(join(seed, file)), { recursive: true });
        await writeFile(join(seed, file), text);
      }
      await git(seed, 'add', '--all');
      await git(seed, 'commit', '--quiet', '-m', message);
      await git(seed, 'push', '--quiet', 'origin', `HEAD:refs/heads/${branch}`);
      return (await git(seed, 'rev-parse', 'HEAD')).trim();
    },
    async branch(name, branch, from) {
      await git(scratch, '--git-dir', bare(name), 'branch', branch, from);
      return (await git(scratch, '--git-dir', bare(name), 'rev-parse', branch)).trim();
    },
    async tip(name, branch) {
      const out = await git(scratch, '--git-dir', bare(name), 'for-each-ref', '--format=%(objectname)', `refs/heads/${branch}`);
      return out.trim() || undefined;
    },
    async snapshot(name) {
      const refs = await git(scratch, '--git-dir', bare(name), 'for-each-ref', '--format=%(refname) %(objectname)', 'refs/heads');
      const tips = new Map<string, string>();
      for (const line of refs.split('\n').filter(Boolean)) {
        const [ref = '', sha = ''] = line.split(' ');
        tips.set(ref, sha);
      }
      const list = tips.size > 0 ? await git(scratch, '--git-dir', bare(name), 'rev-list', '--all') : '';
      return { tips, commits: new Set(list.split('\n').filter(Boolean)) };
    },
    async assertNothingLost(name, before) {
      const after = await world.snapshot(name);
      for (const [ref, old] of before.tips) {
        const now = after.tips.get(ref);
        assert.ok(now !== undefined, `${name}: branch ${ref} vanished`);
        const ancestor = await run('git', ['--git-dir', bare(name), 'merge-base', '--is-ancestor', old, now ?? '']).then(() => true, () => false);
        assert.ok(ancestor, `${name}: ${ref} moved backwards (${old.slice(0, 8)} is not an ancestor of ${String(now).slice(0, 8)})`);
      }
      for (const commit of before.commits) assert.ok(after.commits.has(commit), `${name}: commit ${commit.slice(0, 8)} became unreachable`);
    },
    async close() {
      await gitServer.close();
      await api?.close();
      await rm(scratch, { recursive: true, force: true });
    },
  };
  return world;
}

/** The environment a runtime step gets to act as the world's GitHub App (what a pod gets from its Secret). */
export function appEnvironment(world: World): Record<string, string> {
  return {
    ARGOTS_GITHUB_APP_ID: world.credentials.appId,
    ARGOTS_GITHUB_APP_PRIVATE_KEY: world.credentials.privateKey,
    ARGOTS_GITHUB_APP_INSTALLATION_ID: String(world.credentials.installationId),
    ARGOTS_GITHUB_API_URL: world.api.baseUrl,
  };
}
