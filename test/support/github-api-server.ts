/**
 * Test support: a local GitHub REST API (node:http) for the endpoints argots uses, backed by the same bare
 * repositories the git smart-HTTP server serves. The real `@octokit/rest` client talks to it over HTTP via its
 * `baseUrl`.
 *
 * - `POST /app/installations/{id}/access_tokens` verifies the App JWT (RS256 signature with the App's public
 *   key, `iss`, `iat`, `exp`) and mints `ghs_` tokens that expire after `tokenLifetimeSeconds`;
 * - a mint request may narrow the token (`repositories`: names within the installation, `permissions`), as
 *   GitHub's does; a narrowed token reaches only those repositories, with only those permissions (`allows` is
 *   what the git server's `authorize` should call: read needs `contents` read, a push `contents` write);
 * - every other endpoint accepts only a currently valid installation token, for a repository it covers;
 * - pulls create / list / get / update, reviews, merge (a real merge commit; an approval first where the base requires reviews), issue labels, requested reviewers, branch protection, branch rules
 *   (rulesets), and the GraphQL
 *   `enablePullRequestAutoMerge` mutation;
 * - `rateLimitNext` answers the next requests with a primary or secondary rate limit, as GitHub does.
 */
import { execFile } from 'node:child_process';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { randomBytes, verify } from 'node:crypto';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface GitHubApiServerOptions {
  /** Root of the bare repositories (`owner/name.git`), e.g. the git server's `root`. */
  readonly gitRoot: string;
  readonly appId: string;
  /** The App's public key (PEM). */
  readonly publicKey: string;
  readonly installationId: number;
  /** Lifetime of minted installation tokens (default 3600, as on GitHub). */
  readonly tokenLifetimeSeconds?: number;
  /** `/api/v3` to serve like GitHub Enterprise Server (default: like api.github.com, no prefix). */
  readonly pathPrefix?: string;
}

export interface PullRecord {
  number: number;
  node_id: string;
  state: 'open' | 'closed';
  title: string;
  body: string;
  head: { ref: string; sha: string; repo: { full_name: string } };
  base: { ref: string; repo: { full_name: string } };
  labels: { name: string }[];
  requested_reviewers: { login: string }[];
  html_url: string;
  url: string;
  merged: boolean;
  /** The merge commit once merged (`PUT …/merge`). */
  merge_commit_sha: string | null;
  auto_merge: null | { merge_method: string };
}

/** What one minted token may do (absent: everything the installation may). */
export interface TokenGrant {
  readonly repositories?: readonly string[];
  readonly permissions?: Readonly<Record<string, string>>;
}

export interface GitHubApiServer {
  /** Whether `token` is valid and may read (or, with `write`, push to) `repo` (`owner/name`, `.git` optional). */
  allows(token: string, repo: string, write: boolean): boolean;
  /** Every mint request's narrowing, in order. */
  readonly grants: readonly TokenGrant[];
  /** What Octokit's `baseUrl` should be (includes the prefix). */
  readonly baseUrl: string;
  isValidToken(token: string): boolean;
  /** Protects a branch; with `requirePullRequest`, required reviews are on (pushes must go through a PR). */
  protectBranch(repo: string, branch: string, options?: { requirePullRequest?: boolean; viaRuleset?: boolean }): void;
  pulls(repo: string): readonly PullRecord[];
  /** The next `count` authenticated REST requests are refused with a rate limit. */
  rateLimitNext(kind: 'primary' | 'secondary', count?: number): void;
  /** Every token minted so far stops being valid (as if expired). */
  expireAllTokens(): void;
  readonly stats: { tokensMinted: number; requests: number; rateLimited: number; unauthorized: number; jwtRefused: number };
  close(): Promise<void>;
}

function base64url(text: string): Buffer {
  return Buffer.from(text.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(JSON.stringify(body));
}

async function readBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text ? (JSON.parse(text) as Record<string, unknown>) : {};
}

export async function startGitHubApiServer(options: GitHubApiServerOptions): Promise<GitHubApiServer> {
  const prefix = options.pathPrefix ?? '';
  const lifetime = options.tokenLifetimeSeconds ?? 3600;
  const tokens = new Map<string, number>(); // token → expiry (ms)
  const scopes = new Map<string, TokenGrant>();
  const grants: TokenGrant[] = [];
  const pulls = new Map<string, PullRecord[]>();
  /** Review states per pull request (`owner/name#number`), in order. */
  const reviews = new Map<string, string[]>();
  const protection = new Map<string, { requirePullRequest: boolean; viaRuleset: boolean }>();
  const stats = { tokensMinted: 0, requests: 0, rateLimited: 0, unauthorized: 0, jwtRefused: 0 };
  let rateLimit: { kind: 'primary' | 'secondary'; count: number } | undefined;
  let origin = '';

  const isValidToken = (token: string): boolean => {
    const expiry = tokens.get(token);
    return expiry !== undefined && expiry > Date.now();
  };

  const level = (p: string | undefined): number => (p === 'write' ? 2 : p === 'read' ? 1 : 0);
  /** Whether a token may use `permission` at `need` on `repo` (`owner/name`). */
  const may = (token: string, repo: string, permission: string, need: 'read' | 'write'): boolean => {
    if (!isValidToken(token)) return false;
    const grant = scopes.get(token) ?? {};
    const name = repo.replace(/\.git$/, '').split('/').pop() ?? '';
    if (grant.repositories && !grant.repositories.includes(name)) return false;
    if (grant.permissions && level(grant.permissions[permission]) < level(need)) return false;
    return true;
  };

  const checkJwt = (authorization: string | undefined): string | undefined => {
    const m = /^bearer (.+)$/i.exec(authorization ?? '');
    if (!m?.[1]) return 'no bearer JWT';
    const parts = m[1].split('.');
    if (parts.length !== 3) return 'not a JWT';
    const [h = '', p = '', s = ''] = parts;
    let header: { alg?: string };
    let payload: { iss?: unknown; iat?: number; exp?: number };
    try {
      header = JSON.parse(base64url(h).toString('utf8')) as { alg?: string };
      payload = JSON.parse(base64url(p).toString('utf8')) as { iss?: unknown; iat?: number; exp?: number };
    } catch {
      return 'unreadable JWT';
    }
    if (header.alg !== 'RS256') return `alg ${String(header.alg)}`;
    if (!verify('RSA-SHA256', Buffer.from(`${h}.${p}`), options.publicKey, base64url(s))) return 'A JSON web token could not be decoded';
    const now = Math.floor(Date.now() / 1000);
    if (String(payload.iss) !== options.appId) return `iss ${String(payload.iss)}`;
    if (typeof payload.iat !== 'number' || payload.iat > now + 60) return "'Issued at' claim ('iat') must be an Integer representing the time that the assertion was issued";
    if (typeof payload.exp !== 'number' || payload.exp <= now || payload.exp - payload.iat > 660) return "'Expiration time' claim ('exp') is too far in the future";
    return undefined;
  };

  const git = async (repo: string, ...args: string[]): Promise<string | undefined> => {
    try {
      return (await run('git', ['--git-dir', join(options.gitRoot, `${repo}.git`), ...args])).stdout.trim();
    } catch {
      return undefined;
    }
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    stats.requests++;
    const url = new URL(req.url ?? '/', 'http://localhost');
    const method = req.method ?? 'GET';
    // GitHub Enterprise Server serves GraphQL at /api/graphql, next to (not under) /api/v3.
    const graphql = url.pathname === (prefix === '/api/v3' ? '/api/graphql' : `${prefix}/graphql`);
    if (!graphql && !url.pathname.startsWith(`${prefix}/`)) return send(res, 404, { message: 'Not Found' });
    const path = graphql ? '/graphql' : url.pathname.slice(prefix.length);

    const mintRoute = /^\/app\/installations\/(\d+)\/access_tokens$/.exec(path);
    if (mintRoute && method === 'POST') {
      const problem = checkJwt(req.headers.authorization);
      if (problem) {
        stats.jwtRefused++;
        return send(res, 401, { message: problem });
      }
      if (Number(mintRoute[1]) !== options.installationId) return send(res, 404, { message: 'Not Found' });
      const asked = await readBody(req);
      const grant: TokenGrant = {
        ...(Array.isArray(asked['repositories']) ? { repositories: (asked['repositories'] as unknown[]).map(String) } : {}),
        ...(asked['permissions'] && typeof asked['permissions'] === 'object' ? { permissions: asked['permissions'] as Record<string, string> } : {}),
      };
      for (const name of grant.repositories ?? []) {
        const found = (await run('sh', ['-c', 'ls -d "$1"/*/"$2".git 2>/dev/null || true', 'ls', options.gitRoot, name])).stdout.trim();
        if (!found) return send(res, 422, { message: `There is at least one repository that does not exist or is not accessible to the parent installation: ${name}` });
      }
      grants.push(grant);
      const token = `ghs_${randomBytes(18).toString('base64url')}`;
      const expiry = Date.now() + lifetime * 1000;
      tokens.set(token, expiry);
      scopes.set(token, grant);
      stats.tokensMinted++;
      return send(res, 201, { token, expires_at: new Date(expiry).toISOString().replace(/\.\d{3}Z$/, 'Z'), permissions: grant.permissions ?? { contents: 'write', pull_requests: 'write' }, repository_selection: grant.repositories ? 'selected' : 'all' });
    }

    const auth = /^(?:token|bearer) (.+)$/i.exec(req.headers.authorization ?? '');
    if (!auth?.[1] || !isValidToken(auth[1])) {
      stats.unauthorized++;
      return send(res, 401, { message: 'Bad credentials' });
    }
    if (rateLimit && rateLimit.count > 0) {
      rateLimit.count--;
      stats.rateLimited++;
      if (rateLimit.kind === 'secondary') {
        return send(res, 403, { message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.' }, { 'retry-after': '1' });
      }
      return send(res, 403, { message: `API rate limit exceeded for installation ID ${options.installationId}.` }, {
        'x-ratelimit-limit': '5000',
        'x-ratelimit-remaining': '0',
        'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + 1),
      });
    }
    const body = method === 'GET' ? {} : await readBody(req);

    if (graphql) {
      const query = String(body['query'] ?? '');
      const id = (body['variables'] as { id?: string } | undefined)?.id;
      if (!/enablePullRequestAutoMerge/.test(query)) return send(res, 200, { errors: [{ message: 'unsupported query in the test server' }] });
      const pr = [...pulls.values()].flat().find((p) => p.node_id === id);
      if (!pr) return send(res, 200, { data: null, errors: [{ type: 'NOT_FOUND', message: `Could not resolve to a node with the global id of '${String(id)}'` }] });
      pr.auto_merge = { merge_method: /mergeMethod:\s*(\w+)/.exec(query)?.[1]?.toLowerCase() ?? 'merge' };
      return send(res, 200, { data: { enablePullRequestAutoMerge: { pullRequest: { number: pr.number } } } });
    }

    const repoRoute = /^\/repos\/([^/]+)\/([^/]+)(\/.*)$/.exec(path);
    if (!repoRoute) return send(res, 404, { message: 'Not Found' });
    const repo = `${repoRoute[1]}/${repoRoute[2]}`;
    const rest = repoRoute[3] ?? '';
    if ((await git(repo, 'rev-parse', '--git-dir')) === undefined) return send(res, 404, { message: 'Not Found' });
    // A narrowed token: another repository is not found; a missing permission is refused, as GitHub does.
    if (!may(auth[1], repo, 'metadata', 'read') && !may(auth[1], repo, 'contents', 'read') && !may(auth[1], repo, 'pull_requests', 'read')) {
      return send(res, 404, { message: 'Not Found' });
    }
    if (/^\/(pulls|issues)/.test(rest) && !may(auth[1], repo, 'pull_requests', method === 'GET' ? 'read' : 'write')) {
      return send(res, 403, { message: 'Resource not accessible by integration' });
    }
    const list = pulls.get(repo) ?? [];
    pulls.set(repo, list);

    const rulesRoute = /^\/rules\/branches\/(.+)$/.exec(rest);
    if (rulesRoute && method === 'GET') {
      const p = protection.get(`${repo}:${decodeURIComponent(rulesRoute[1] ?? '')}`);
      if (!p?.viaRuleset) return send(res, 200, []);
      return send(res, 200, [
        { type: 'deletion', ruleset_source_type: 'Repository', ruleset_source: repo, ruleset_id: 1 },
        ...(p.requirePullRequest
          ? [{ type: 'pull_request', ruleset_source_type: 'Repository', ruleset_source: repo, ruleset_id: 1, parameters: { required_approving_review_count: 1, dismiss_stale_reviews_on_push: false, require_code_owner_review: false, require_last_push_approval: false, required_review_thread_resolution: false } }]
          : []),
      ]);
    }
    const protectionRoute = /^\/branches\/(.+)\/protection$/.exec(rest);
    if (protectionRoute && method === 'GET') {
      const branch = decodeURIComponent(protectionRoute[1] ?? '');
      const p = protection.get(`${repo}:${branch}`);
      if (!p || p.viaRuleset) return send(res, 404, { message: 'Branch not protected' });
      return send(res, 200, {
        url: `${origin}${prefix}/repos/${repo}/branches/${encodeURIComponent(branch)}/protection`,
        ...(p.requirePullRequest ? { required_pull_request_reviews: { required_approving_review_count: 1, dismiss_stale_reviews: false } } : {}),
        enforce_admins: { enabled: true },
        allow_force_pushes: { enabled: false },
      });
    }

    if (rest === '/pulls' && method === 'GET') {
      const state = url.searchParams.get('state') ?? 'open';
      const head = url.searchParams.get('head');
      const baseRef = url.searchParams.get('base');
      const found = list.filter(
        (p) => (state === 'all' || p.state === state) && (!head || `${repoRoute[1]}:${p.head.ref}` === head) && (!baseRef || p.base.ref === baseRef),
      );
      return send(res, 200, found);
    }
    if (rest === '/pulls' && method === 'POST') {
      const head = String(body['head'] ?? '');
      const baseRef = String(body['base'] ?? '');
      const headSha = await git(repo, 'rev-parse', '--verify', '--quiet', `refs/heads/${head}`);
      const baseSha = await git(repo, 'rev-parse', '--verify', '--quiet', `refs/heads/${baseRef}`);
      const errors = [
        ...(headSha ? [] : [{ resource: 'PullRequest', field: 'head', code: 'invalid' }]),
        ...(baseSha ? [] : [{ resource: 'PullRequest', field: 'base', code: 'invalid' }]),
      ];
      if (errors.length > 0) return send(res, 422, { message: 'Validation Failed', errors });
      if (list.some((p) => p.state === 'open' && p.head.ref === head && p.base.ref === baseRef)) {
        return send(res, 422, { message: 'Validation Failed', errors: [{ resource: 'PullRequest', code: 'custom', message: `A pull request already exists for ${repoRoute[1]}:${head}.` }] });
      }
      if ((await git(repo, 'merge-base', '--is-ancestor', headSha ?? '', baseSha ?? '')) !== undefined) {
        return send(res, 422, { message: 'Validation Failed', errors: [{ resource: 'PullRequest', code: 'custom', message: `No commits between ${baseRef} and ${head}` }] });
      }
      const number = [...pulls.values()].flat().length + 1;
      const pr: PullRecord = {
        number,
        node_id: `PR_kwTest${number}`,
        state: 'open',
        title: String(body['title'] ?? ''),
        body: String(body['body'] ?? ''),
        head: { ref: head, sha: headSha ?? '', repo: { full_name: repo } },
        base: { ref: baseRef, repo: { full_name: repo } },
        labels: [],
        requested_reviewers: [],
        html_url: `${origin}/${repo}/pull/${number}`,
        url: `${origin}${prefix}/repos/${repo}/pulls/${number}`,
        merged: false,
        merge_commit_sha: null,
        auto_merge: null,
      };
      list.push(pr);
      return send(res, 201, pr);
    }
    const pullRoute = /^\/pulls\/(\d+)$/.exec(rest);
    if (pullRoute) {
      const pr = list.find((p) => p.number === Number(pullRoute[1]));
      if (!pr) return send(res, 404, { message: 'Not Found' });
      if (method === 'PATCH') {
        if (typeof body['title'] === 'string') pr.title = body['title'];
        if (typeof body['body'] === 'string') pr.body = body['body'];
        if (body['state'] === 'open' || body['state'] === 'closed') pr.state = body['state'];
        pr.head.sha = (await git(repo, 'rev-parse', '--verify', '--quiet', `refs/heads/${pr.head.ref}`)) ?? pr.head.sha;
      }
      return send(res, 200, pr);
    }
    const labelsRoute = /^\/issues\/(\d+)\/labels$/.exec(rest);
    if (labelsRoute && method === 'POST') {
      const pr = list.find((p) => p.number === Number(labelsRoute[1]));
      if (!pr) return send(res, 404, { message: 'Not Found' });
      for (const name of (body['labels'] as string[] | undefined) ?? []) if (!pr.labels.some((l) => l.name === name)) pr.labels.push({ name });
      return send(res, 200, pr.labels);
    }
    // A person's review and merge, as GitHub's REST API takes them: a protected base that requires reviews is
    // merged only after an approval; the merge is a real merge commit on the base branch (no fast-forward).
    const reviewsRoute = /^\/pulls\/(\d+)\/reviews$/.exec(rest);
    if (reviewsRoute && method === 'POST') {
      const pr = list.find((p) => p.number === Number(reviewsRoute[1]));
      if (!pr) return send(res, 404, { message: 'Not Found' });
      const event = String(body['event'] ?? 'COMMENT');
      const state = event === 'APPROVE' ? 'APPROVED' : event === 'REQUEST_CHANGES' ? 'CHANGES_REQUESTED' : 'COMMENTED';
      const key = `${repo}#${pr.number}`;
      reviews.set(key, [...(reviews.get(key) ?? []), state]);
      return send(res, 200, { id: reviews.get(key)?.length ?? 0, state, commit_id: pr.head.sha });
    }
    const mergeRoute = /^\/pulls\/(\d+)\/merge$/.exec(rest);
    if (mergeRoute && method === 'PUT') {
      const pr = list.find((p) => p.number === Number(mergeRoute[1]));
      if (!pr) return send(res, 404, { message: 'Not Found' });
      if (!may(auth[1], repo, 'contents', 'write')) return send(res, 403, { message: 'Resource not accessible by integration' });
      if (pr.state !== 'open') return send(res, 405, { message: 'Pull Request is not mergeable' });
      const states = reviews.get(`${repo}#${pr.number}`) ?? [];
      if (protection.get(`${repo}:${pr.base.ref}`)?.requirePullRequest && (!states.includes('APPROVED') || states.at(-1) === 'CHANGES_REQUESTED')) {
        return send(res, 405, { message: 'At least 1 approving review is required by reviewers with write access.' });
      }
      const baseSha = await git(repo, 'rev-parse', '--verify', '--quiet', `refs/heads/${pr.base.ref}`);
      const headSha = await git(repo, 'rev-parse', '--verify', '--quiet', `refs/heads/${pr.head.ref}`);
      if (!baseSha || !headSha) return send(res, 422, { message: 'Base or head branch is gone' });
      if (typeof body['sha'] === 'string' && body['sha'] !== headSha) return send(res, 409, { message: 'Head branch was modified. Review and try the merge again.' });
      const tree = (await git(repo, 'merge-tree', '--write-tree', baseSha, headSha))?.split('\n')[0];
      if (!tree) return send(res, 405, { message: 'Merge conflict' });
      const title = typeof body['commit_title'] === 'string' ? body['commit_title'] : `Merge pull request #${pr.number} from ${repoRoute[1]}/${pr.head.ref}`;
      const message = `${title}\n\n${typeof body['commit_message'] === 'string' ? body['commit_message'] : pr.title}\n`;
      const commit = await git(repo, '-c', 'user.name=GitHub', '-c', 'user.email=noreply@github.com', 'commit-tree', tree, '-p', baseSha, '-p', headSha, '-m', message);
      if (!commit || (await git(repo, 'update-ref', `refs/heads/${pr.base.ref}`, commit, baseSha)) === undefined) {
        return send(res, 409, { message: 'Base branch was modified. Review and try the merge again.' });
      }
      pr.state = 'closed';
      pr.merged = true;
      pr.merge_commit_sha = commit;
      return send(res, 200, { sha: commit, merged: true, message: 'Pull Request successfully merged' });
    }
    const reviewersRoute = /^\/pulls\/(\d+)\/requested_reviewers$/.exec(rest);
    if (reviewersRoute && method === 'POST') {
      const pr = list.find((p) => p.number === Number(reviewersRoute[1]));
      if (!pr) return send(res, 404, { message: 'Not Found' });
      for (const login of (body['reviewers'] as string[] | undefined) ?? []) pr.requested_reviewers.push({ login });
      return send(res, 201, pr);
    }
    return send(res, 404, { message: `Not Found (${method} ${path} is not served by the test server)` });
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => send(res, 500, { message: String(error) }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('github api server: no port');
  origin = `http://127.0.0.1:${address.port}`;
  return {
    baseUrl: `${origin}${prefix}`,
    isValidToken,
    allows: (token, repo, write) => may(token, repo, 'contents', write ? 'write' : 'read'),
    grants,
    protectBranch(repo, branch, opts = {}) {
      protection.set(`${repo}:${branch}`, { requirePullRequest: opts.requirePullRequest ?? false, viaRuleset: opts.viaRuleset ?? false });
    },
    pulls: (repo) => pulls.get(repo) ?? [],
    rateLimitNext(kind, count = 1) {
      rateLimit = { kind, count };
    },
    expireAllTokens() {
      for (const token of tokens.keys()) tokens.set(token, 0);
    },
    stats,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
