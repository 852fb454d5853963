import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { chmodSync, existsSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { detectChanges, parseRawDiff } from '../src/detect/detect-changes.js';
import { loadChangeRules, parseChangeRules } from '../src/detect/change-rules.js';
import { ZERO_SHA } from '../src/detect/commit-range.js';
import { commit, git, initRepo, remove, tempDir } from './git-fixtures.js';
import { cloneRepository } from '../src/git/repository.js';
import { startGitHttpServer } from '../../../test/support/git-http-server.js';
import { rejection } from './rejection.js';

const RULES = `services:
  api: services/api
  web: [services/web/**, "!services/web/docs/**"]
config: ["deploy/**", "!deploy/scripts/**"]
`;

const BASE = {
  '.argots/changes.yaml': RULES,
  'services/api/src/main.ts': 'v1\n',
  'services/api/config/app.yaml': 'level: info\n',
  'services/api/Dockerfile': 'FROM node\n',
  'services/web/src/index.ts': 'v1\n',
  'services/web/docs/guide.txt': 'guide\n',
  'deploy/values-dev.yaml': 'a: 1\n',
  'deploy/scripts/run.yaml': 'x\n',
  'README.md': '# shop\n',
  'pnpm-lock.yaml': 'lock: 1\n',
};

test('the default rules: manifests, values, env files and config folders are config; lockfiles and build files are code; docs are neither', () => {
  const rules = parseChangeRules(undefined);
  const cls = (p: string): string => rules.classify(p);
  assert.equal(
    ['k8s/deployment.yaml', 'apps/x/kustomization.yaml', 'chart/values-prod.yaml', 'svc/.env', 'prod.env', 'config/app.json', 'svc/config/a.yaml'].map(cls),
    ['config', 'config', 'config', 'config', 'config', 'config', 'config'],
  );
  assert.equal(['pnpm-lock.yaml', 'svc/go.sum', 'svc/Dockerfile', 'svc/api.Dockerfile', 'package.json', 'src/main.ts', 'config/package.json'].map(cls), ['code', 'code', 'code', 'code', 'code', 'code', 'code']);
  assert.equal(['README.md', 'docs/a.txt', 'LICENSE'].map(cls), ['ignored', 'ignored', 'ignored']);
  // config maps by name, wherever they are
  assert.equal(['svc/configmap-prod.yaml', 'svc/web-configmap.yaml', 'svc/web.configmap.yaml', 'svc/Kustomization'].map(cls), ['config', 'config', 'config', 'config']);
  assert.equal(['svc/configmap.ts', 'svc/values.ts'].map(cls), ['code', 'code'], 'only YAML config maps and values files');
});

test('rules with negation: the last matching pattern decides', () => {
  const rules = parseChangeRules(RULES);
  assert.is(rules.classify('deploy/values.yaml'), 'config');
  assert.is(rules.classify('deploy/scripts/run.yaml'), 'code');
  assert.equal(rules.servicesOf('services/web/src/index.ts'), ['web']);
  assert.equal(rules.servicesOf('services/web/docs/guide.txt'), []);
  assert.equal(rules.servicesOf('services/api/config/app.yaml'), ['api']);
});

test('git diff --raw -z output: modes, status letters, renames and copies with their score, submodules, long object names', () => {
  const sha = 'a'.repeat(40);
  const entry = (modes: string, status: string, ...paths: string[]): string => `:${modes} ${sha} ${sha} ${status}\0${paths.map((p) => `${p}\0`).join('')}`;
  const out = [
    entry('100644 100644', 'M', 'src/a b.ts'),
    entry('000000 100644', 'A', 'deploy/new.yaml'),
    entry('100644 000000', 'D', 'README.md'),
    entry('100644 100644', 'R087', 'deploy/old.yaml', 'deploy/renamed.yaml'),
    entry('100644 100644', 'C100', 'a.env', 'b.env'),
    entry('160000 160000', 'M', 'vendor/lib'),
    entry('100644 120000', 'T', 'link'),
    `:100644 100644 ${'b'.repeat(64)} ${'c'.repeat(64)} M\0sha256.txt\0`,
  ].join('');
  const cls = (p: string): 'code' | 'config' | 'ignored' => (p.endsWith('.md') ? 'ignored' : p.endsWith('.yaml') || p.endsWith('.env') ? 'config' : 'code');
  assert.equal(parseRawDiff(out, cls), [
    { path: 'src/a b.ts', status: 'M', class: 'code' },
    { path: 'deploy/new.yaml', status: 'A', class: 'config' },
    { path: 'README.md', status: 'D', class: 'ignored' },
    { path: 'deploy/renamed.yaml', status: 'R', oldPath: 'deploy/old.yaml', class: 'config' },
    { path: 'b.env', status: 'A', oldPath: 'a.env', class: 'config' },
    { path: 'vendor/lib', status: 'S', class: 'code' },
    { path: 'link', status: 'T', class: 'code' },
    { path: 'sha256.txt', status: 'M', class: 'code' },
  ]);
  assert.equal(parseRawDiff('', cls), []);
});

test('services by folder: nested folders, a folder naming a file, and globbed services together, in the order declared', () => {
  const rules = parseChangeRules(`services:
  all: services
  web: [services/web/**, "!services/web/docs/**"]
  api: services/api
  lock: services/api/pnpm-lock.yaml
`);
  assert.equal(rules.servicesOf('services/api/src/a.ts'), ['all', 'api']);
  assert.equal(rules.servicesOf('services/api/src/b.ts'), ['all', 'api'], 'the same directory again');
  assert.equal(rules.servicesOf('services/api/pnpm-lock.yaml'), ['all', 'api', 'lock']);
  assert.equal(rules.servicesOf('services/api-v2/x.ts'), ['all']);
  assert.equal(rules.servicesOf('services/web/src/a.ts'), ['all', 'web']);
  assert.equal(rules.servicesOf('services/web/docs/a.md'), ['all']);
  assert.equal(rules.servicesOf('services'), ['all']);
  assert.equal(rules.servicesOf('README.md'), []);
  assert.equal(parseChangeRules('services: {}').servicesOf('services/api/a.ts'), []);
});

test('services by folder, asked path after path in any order, agree with "the path is the folder or lies under it"', () => {
  const folders = { root: '.', a: 'a', ab: 'a/b', abc: 'a/b/c', x: 'x/y', dup: 'a/b', bx: 'b/x.ts' };
  const rules = parseChangeRules(`services:\n${Object.entries(folders).map(([n, f]) => `  ${n}: "${f}"\n`).join('')}  g: ["**/*.md"]\n`);
  const expected = (path: string): string[] =>
    [...Object.entries(folders).filter(([, f]) => f === '.' || path === f || path.startsWith(`${f}/`)).map(([n]) => n), ...(path.endsWith('.md') ? ['g'] : [])];
  const parts = ['a', 'b', 'c', 'c2', 'x', 'y', 'x.ts', 'ab', 'b2', 'r.md'];
  let seed = 7;
  const rand = (n: number): number => {
    seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0; // 32-bit LCG: high bits used
    return Math.floor((seed / 2 ** 32) * n);
  };
  const paths: string[] = [];
  for (let k = 0; k < 3000; k++) paths.push(Array.from({ length: 1 + rand(5) }, () => parts[rand(parts.length)]).join('/'));
  // In order (as a diff lists them) and shuffled: the answer kept for the last path must never leak.
  for (const p of [...[...paths].sort(), ...paths]) assert.equal(rules.servicesOf(p), expected(p), p);
  // An answer is shared with the next paths of the folder: a caller cannot change it under them.
  const plain = parseChangeRules('services:\n  api: services/api\n');
  const answer = plain.servicesOf('services/api/a.ts') as string[];
  assert.throws(() => answer.push('web'));
  assert.equal(plain.servicesOf('services/api/b.ts'), ['api']);
});

test('a service given as the repository itself (".", "./") owns every path, alone or beside folder services', () => {
  const rules = parseChangeRules(`services:
  app: ./
  api: services/api
`);
  assert.equal(rules.servicesOf('src/main.ts'), ['app']);
  assert.equal(rules.servicesOf('services/api/src/a.ts'), ['app', 'api']);
  assert.equal(rules.servicesOf('README.md'), ['app']);
  assert.ok(rules.services[0]?.globs.matches('deep/down/file.ts'), 'its glob list matches everything too');
  assert.equal(parseChangeRules('services:\n  app: "."\n').servicesOf('a/b/c.ts'), ['app']);
  const globbed = parseChangeRules('services:\n  app: [".", "!docs/**"]\n');
  assert.equal(globbed.servicesOf('src/a.ts'), ['app']);
  assert.equal(globbed.servicesOf('docs/a.md'), [], 'a later negation still excludes');
});

test('a leading / anchors a glob at the repository root, as in .gitignore', () => {
  const rules = parseChangeRules('config: ["/ops/**", "/settings.json"]\nservices:\n  api: /services/api\n');
  assert.equal(['ops/app.yaml', 'settings.json', 'x/settings.json'].map((p) => rules.classify(p)), ['config', 'config', 'code']);
  assert.equal(rules.servicesOf('services/api/a.ts'), ['api']);
});

test('an empty glob in the rules is refused, naming the list and the entry', () => {
  assert.throws(() => parseChangeRules('services:\n  api: ["services/api", ""]\n'), (e: Error) => /services\.api\[1\] is an empty glob, received ""/.test(e.message));
  assert.throws(() => parseChangeRules('config: "!"\n'), (e: Error) => /config\[0\] is an empty glob/.test(e.message));
});

test('given a push to a single-service repository declared as ".", the service sees every change', async () => {
  const { dir, first } = await initRepo({ ...BASE, '.argots/changes.yaml': 'services:\n  shop: .\n' });
  try {
    const after = await commit(dir, 'change', { 'services/api/src/main.ts': 'v2\n', 'deploy/values-dev.yaml': 'a: 2\n' });
    const r = await detectChanges({ repo: dir, before: first, after });
    assert.equal(r.services, [{ name: 'shop', kind: 'code', codeFiles: ['services/api/src/main.ts'], configFiles: ['deploy/values-dev.yaml'], deletedConfigFiles: [] }]);
  } finally {
    remove(dir);
  }
});

test('given a push changing code in one service and config in another, each is classified per service', async () => {
  const { dir, first } = await initRepo(BASE);
  try {
    const after = await commit(dir, 'change', {
      'services/api/src/main.ts': 'v2\n',
      'services/web/config/feature.env': 'X=1\n',
      'README.md': '# shop!\n',
    });
    const r = await detectChanges({ repo: dir, before: first, after });
    assert.is(r.kind, 'code');
    assert.equal(r.codeFiles, ['services/api/src/main.ts']);
    assert.equal(r.configFiles, ['services/web/config/feature.env']);
    assert.equal(r.services.map((s) => [s.name, s.kind]), [['api', 'code'], ['web', 'config']]);
    assert.match(r.reason, /push: compared/);
  } finally {
    remove(dir);
  }
});

test('config only is config; docs only is none; a lockfile is code; deletions and renames of config are reported', async () => {
  const { dir, first } = await initRepo(BASE);
  try {
    const a = await commit(dir, 'config', { 'services/api/config/app.yaml': 'level: debug\n' });
    assert.is((await detectChanges({ repo: dir, before: first, after: a })).kind, 'config');
    const b = await commit(dir, 'docs', { 'README.md': 'x\n', 'services/web/docs/guide.txt': 'y\n' });
    const none = await detectChanges({ repo: dir, before: a, after: b });
    assert.is(none.kind, 'none');
    assert.equal(none.services.map((s) => s.kind), ['none', 'none']);
    const c = await commit(dir, 'lock', { 'pnpm-lock.yaml': 'lock: 2\n' });
    assert.is((await detectChanges({ repo: dir, before: b, after: c })).kind, 'code');
    await git(dir, 'mv', 'deploy/values-dev.yaml', 'deploy/values-development.yaml');
    const d = await commit(dir, 'rename and delete', { 'services/api/config/app.yaml': null });
    const r = await detectChanges({ repo: dir, before: c, after: d });
    assert.is(r.kind, 'config');
    assert.equal(r.configFiles, ['deploy/values-development.yaml']);
    assert.equal(r.deletedConfigFiles, ['deploy/values-dev.yaml', 'services/api/config/app.yaml']);
    const renamed = r.files.find((f) => f.status === 'R');
    assert.equal(renamed && { path: renamed.path, oldPath: renamed.oldPath }, { path: 'deploy/values-development.yaml', oldPath: 'deploy/values-dev.yaml' });
    assert.equal(r.services.find((s) => s.name === 'api')?.deletedConfigFiles, ['services/api/config/app.yaml']);
  } finally {
    remove(dir);
  }
});

test('given a merge commit, its changes against the first parent are reported, never an empty list', async () => {
  const { dir, first } = await initRepo(BASE);
  try {
    await git(dir, 'checkout', '--quiet', '-b', 'feature');
    await commit(dir, 'feature config', { 'deploy/values-dev.yaml': 'a: 2\n' });
    await git(dir, 'checkout', '--quiet', 'main');
    const mainTip = await commit(dir, 'main docs', { 'README.md': 'main\n' });
    await git(dir, '-c', 'user.email=t@example.com', '-c', 'user.name=t', 'merge', '--quiet', '--no-ff', '-m', 'merge feature', 'feature');
    const merge = (await git(dir, 'rev-parse', 'HEAD')).trim();
    const r = await detectChanges({ repo: dir, before: mainTip, after: merge });
    assert.is(r.kind, 'config');
    assert.equal(r.configFiles, ['deploy/values-dev.yaml']);
    // A new branch pushed at the merge commit, without a default branch: first parent.
    const n = await detectChanges({ repo: dir, before: ZERO_SHA, after: merge });
    assert.equal(n.configFiles, ['deploy/values-dev.yaml']);
    assert.match(n.reason, /first parent/);
    void first;
  } finally {
    remove(dir);
  }
});

test('given a new branch (before all zeros), it is compared with its merge base with the default branch', async () => {
  const { dir } = await initRepo(BASE);
  try {
    await git(dir, 'branch', 'dev');
    await git(dir, 'checkout', '--quiet', '-b', 'feature');
    await commit(dir, 'one', { 'services/web/config/a.env': 'A=1\n' });
    const after = await commit(dir, 'two', { 'deploy/values-dev.yaml': 'a: 3\n' });
    await git(dir, 'checkout', '--quiet', 'dev');
    await commit(dir, 'dev moves on', { 'services/api/src/main.ts': 'dev\n' });
    const r = await detectChanges({ repo: dir, before: ZERO_SHA, after, defaultBranch: 'dev' });
    assert.is(r.kind, 'config', 'the code change made on dev afterwards is not counted');
    assert.equal(r.configFiles, ['deploy/values-dev.yaml', 'services/web/config/a.env']);
    assert.match(r.reason, /merge base with "dev"/);
  } finally {
    remove(dir);
  }
});

test('given a force push, the old tip is compared tree to tree; if the old tip is gone, it fails closed as code and says why', async () => {
  const { dir, first } = await initRepo(BASE);
  const work = tempDir();
  try {
    const old = await commit(dir, 'old', { 'services/api/src/main.ts': 'old\n' });
    await git(dir, 'reset', '--quiet', '--hard', first);
    const rewritten = await commit(dir, 'rewritten', { 'deploy/values-dev.yaml': 'a: 9\n' });
    const r = await detectChanges({ repo: dir, before: old, after: rewritten });
    assert.match(r.reason, /force push/);
    assert.equal(r.codeFiles, ['services/api/src/main.ts'], 'the code the old tip had and the new one lacks changed too');
    // a clone that never had the old tip, from a server that no longer has it
    await git(work, 'clone', '--quiet', `file://${dir}`, 'c');
    const gone = 'deadbeef'.repeat(5);
    const f = await detectChanges({ repo: join(work, 'c'), before: gone, after: rewritten });
    assert.is(f.kind, 'code');
    assert.equal(f.services.map((s) => s.kind), ['code', 'code']);
    assert.match(f.reason, /is gone .*treated as code/);
  } finally {
    remove(dir);
    remove(work);
  }
});

test('given a shallow clone, it deepens until the base commit is there, not to the whole history', async () => {
  const { dir, first } = await initRepo(BASE);
  const work = tempDir();
  try {
    for (let i = 0; i < 60; i++) await commit(dir, `old ${i}`, { 'services/web/src/index.ts': `w${i}\n` });
    const before = await commit(dir, 'before', {});
    for (let i = 0; i < 40; i++) await commit(dir, `c${i}`, { 'services/api/src/main.ts': `v${i}\n` });
    const after = await commit(dir, 'config', { 'deploy/values-dev.yaml': 'a: 5\n' });
    await git(work, 'clone', '--quiet', '--depth', '1', `file://${dir}`, 'shallow');
    const shallow = join(work, 'shallow');
    assert.is((await git(shallow, 'rev-parse', '--is-shallow-repository')).trim(), 'true');
    const r = await detectChanges({ repo: shallow, before, after });
    assert.is(r.kind, 'code');
    assert.equal(r.codeFiles, ['services/api/src/main.ts']);
    assert.equal(r.configFiles, ['deploy/values-dev.yaml']);
    assert.match(r.reason, /^push: compared /, 'an ancestor cut off by the clone is not taken for a force push');
    assert.is((await git(shallow, 'rev-parse', '--is-shallow-repository')).trim(), 'true', 'deepened only as far as needed');
    assert.not.ok((await git(shallow, 'cat-file', '-t', first).catch(() => 'missing')).startsWith('commit'), 'the first commit was not fetched');
  } finally {
    remove(dir);
    remove(work);
  }
});

test('given a shallow clone holding both commits with the history between them cut off, it is a push, not a force push', async () => {
  const { dir } = await initRepo(BASE);
  const work = tempDir();
  try {
    const before = await commit(dir, 'before', { 'services/web/src/index.ts': 'w\n' });
    for (let i = 0; i < 5; i++) await commit(dir, `c${i}`, { 'services/api/src/main.ts': `v${i}\n` });
    const after = await commit(dir, 'config', { 'deploy/values-dev.yaml': 'a: 5\n' });
    await git(work, 'clone', '--quiet', '--depth', '1', `file://${dir}`, 'shallow');
    const shallow = join(work, 'shallow');
    await git(shallow, 'fetch', '--quiet', '--depth', '1', 'origin', before);
    assert.is((await git(shallow, 'merge-base', '--is-ancestor', before, after).then(() => 'yes', () => 'no')), 'no', 'as the clone stands, git cannot see the ancestry');
    const r = await detectChanges({ repo: shallow, before, after });
    assert.equal(r.codeFiles, ['services/api/src/main.ts']);
    assert.equal(r.configFiles, ['deploy/values-dev.yaml']);
    assert.match(r.reason, /^push: compared .*\(the shallow clone was deepened to tell\)$/);
  } finally {
    remove(dir);
    remove(work);
  }
});

test('given a force push seen from a shallow clone that lacks the old tip, the old tip is fetched and the two trees compared', async () => {
  const { dir, first } = await initRepo(BASE);
  const work = tempDir();
  try {
    const old = await commit(dir, 'old', { 'services/api/src/main.ts': 'old\n' });
    await git(dir, 'branch', 'kept-old', old); // the server still has it
    await git(dir, 'reset', '--quiet', '--hard', first);
    const rewritten = await commit(dir, 'rewritten', { 'deploy/values-dev.yaml': 'a: 9\n' });
    await git(work, 'clone', '--quiet', '--depth', '1', '--single-branch', '--branch', 'main', `file://${dir}`, 'shallow');
    const r = await detectChanges({ repo: join(work, 'shallow'), before: old, after: rewritten });
    assert.match(r.reason, /^force push: /);
    assert.equal(r.codeFiles, ['services/api/src/main.ts']);
    assert.equal(r.configFiles, ['deploy/values-dev.yaml']);
  } finally {
    remove(dir);
    remove(work);
  }
});

test('given a force push whose old tip only the server has (a full clone of the branch), it is fetched by SHA and compared', async () => {
  const { dir, first } = await initRepo(BASE);
  const work = tempDir();
  try {
    const old = await commit(dir, 'old', { 'services/web/src/index.ts': 'old\n' });
    await git(dir, 'branch', 'kept-old', old);
    await git(dir, 'reset', '--quiet', '--hard', first);
    const rewritten = await commit(dir, 'rewritten', { 'services/api/config/app.yaml': 'level: warn\n' });
    await git(work, 'clone', '--quiet', '--single-branch', '--branch', 'main', `file://${dir}`, 'c');
    const clone = join(work, 'c');
    assert.is(await git(clone, 'cat-file', '-t', old).catch(() => 'missing'), 'missing');
    const r = await detectChanges({ repo: clone, before: old, after: rewritten });
    assert.match(r.reason, /^force push: /);
    assert.equal(r.codeFiles, ['services/web/src/index.ts']);
    assert.equal(r.configFiles, ['services/api/config/app.yaml']);
  } finally {
    remove(dir);
    remove(work);
  }
});

test('given a new branch in a clone without the default branch, the default branch is fetched for the merge base', async () => {
  const { dir } = await initRepo(BASE);
  const work = tempDir();
  try {
    await git(dir, 'branch', 'dev');
    await git(dir, 'checkout', '--quiet', '-b', 'feature/x');
    const after = await commit(dir, 'feature', { 'services/web/config/a.env': 'A=2\n' });
    await git(dir, 'checkout', '--quiet', 'dev');
    await commit(dir, 'dev moves on', { 'services/api/src/main.ts': 'dev\n' });
    await git(work, 'clone', '--quiet', '--single-branch', '--branch', 'feature/x', `file://${dir}`, 'c');
    const clone = join(work, 'c');
    assert.is(await git(clone, 'rev-parse', '--verify', '--quiet', 'refs/remotes/origin/dev').catch(() => 'absent'), 'absent');
    const r = await detectChanges({ repo: clone, before: ZERO_SHA, after, defaultBranch: 'dev' });
    assert.is(r.kind, 'config');
    assert.equal(r.configFiles, ['services/web/config/a.env']);
    assert.match(r.reason, /new branch: compared with its merge base with "dev"/);
  } finally {
    remove(dir);
    remove(work);
  }
});

test('given a new branch with no history in common with the default branch, it fails closed as code and says why', async () => {
  const { dir } = await initRepo(BASE);
  try {
    await git(dir, 'branch', 'dev');
    await git(dir, 'checkout', '--quiet', '--orphan', 'unrelated');
    await git(dir, 'rm', '--quiet', '-r', '--cached', '.');
    const after = await commit(dir, 'unrelated root', { 'deploy/values-dev.yaml': 'a: 1\n' });
    const r = await detectChanges({ repo: dir, before: ZERO_SHA, after, defaultBranch: 'dev' });
    assert.is(r.kind, 'code');
    assert.equal(r.services.map((s) => s.kind), ['code', 'code']);
    assert.match(r.reason, /no common history with "dev".*treated as code/);
  } finally {
    remove(dir);
  }
});

test('given a new branch created at a commit of the default branch (a release cut from dev), that commit is compared with its first parent', async () => {
  const { dir } = await initRepo(BASE);
  try {
    await git(dir, 'checkout', '--quiet', '-b', 'dev');
    const tip = await commit(dir, 'last dev change', { 'services/api/config/app.yaml': 'level: debug\n' });
    await git(dir, 'branch', 'release/1.0', tip);
    const r = await detectChanges({ repo: dir, before: ZERO_SHA, after: tip, defaultBranch: 'dev' });
    assert.is(r.kind, 'config');
    assert.equal(r.configFiles, ['services/api/config/app.yaml']);
    assert.match(r.reason, /new branch at a commit of "dev": compared with the first parent/);
  } finally {
    remove(dir);
  }
});

test('given a new branch in a shallow clone of a private repository, the clone is deepened with the step credentials', async () => {
  const TOKEN = 'ghs_detect_changes_token';
  const server = await startGitHttpServer({ authorize: (c) => c?.username === 'x-access-token' && c.password === TOKEN });
  const work = tempDir();
  try {
    const url = server.createRepo('acme/app.git');
    const { dir } = await initRepo(BASE);
    await commit(dir, 'two', { 'services/api/src/main.ts': 'v2\n' });
    const after = await commit(dir, 'three', { 'deploy/values-dev.yaml': 'a: 3\n' });
    await git(dir, 'push', '--quiet', server.repoPath('acme/app.git'), 'HEAD:refs/heads/feature/x');
    const auth = { token: () => TOKEN };
    const clone = join(work, 'c');
    await cloneRepository({ url, dir: clone, branch: 'feature/x', depth: 1, auth, cwd: work });
    const r = await detectChanges({ repo: clone, before: ZERO_SHA, after, auth });
    assert.match(r.reason, /first parent/);
    assert.equal(r.configFiles, ['deploy/values-dev.yaml'], 'compared with its parent, not with the empty tree');
    assert.equal(r.codeFiles, []);
    remove(dir);
  } finally {
    remove(work);
    await server.close();
  }
});

test('given a new branch whose commit is a root commit, every file it holds is new', async () => {
  const { dir, first } = await initRepo({ 'src/main.ts': 'x\n', 'deploy/values.yaml': 'a: 1\n', 'README.md': '# r\n' });
  try {
    const r = await detectChanges({ repo: dir, before: ZERO_SHA, after: first });
    assert.is(r.kind, 'code');
    assert.equal(r.files.map((f) => [f.path, f.status]), [['README.md', 'A'], ['deploy/values.yaml', 'A'], ['src/main.ts', 'A']]);
    assert.equal(r.configFiles, ['deploy/values.yaml']);
    assert.match(r.reason, /root commit, so every file it holds is new/);
  } finally {
    remove(dir);
  }
});

test('a submodule moved to another commit is a code change', async () => {
  const sub = await initRepo({ 'lib.ts': 'a\n' });
  const { dir } = await initRepo(BASE);
  try {
    await git(dir, '-c', 'protocol.file.allow=always', 'submodule', 'add', '--quiet', sub.dir, 'vendor/lib');
    const before = await commit(dir, 'add submodule', {});
    const moved = await commit(sub.dir, 'lib change', { 'lib.ts': 'b\n' });
    await git(join(dir, 'vendor/lib'), 'fetch', '--quiet', 'origin');
    await git(join(dir, 'vendor/lib'), 'checkout', '--quiet', moved);
    const after = await commit(dir, 'bump submodule', {});
    const r = await detectChanges({ repo: dir, before, after });
    assert.is(r.kind, 'code');
    assert.equal(r.files.map((f) => [f.path, f.status, f.class]), [['vendor/lib', 'S', 'code']]);
  } finally {
    remove(dir);
    remove(sub.dir);
  }
});

test('a submodule removed with .gitmodules is still a submodule: the diff is read again with its modes', async () => {
  // Under config/, a plain file would be configuration; a submodule is code. Without .gitmodules in the
  // checkout the diff is first read without modes; .gitmodules among the changes sends it back for them.
  const sub = await initRepo({ 'lib.ts': 'a\n' });
  const { dir } = await initRepo(BASE);
  try {
    await git(dir, '-c', 'protocol.file.allow=always', 'submodule', 'add', '--quiet', sub.dir, 'config/lib');
    const before = await commit(dir, 'add submodule', {});
    await git(dir, 'rm', '--quiet', '-r', 'config/lib');
    await git(dir, 'rm', '--quiet', '-f', '.gitmodules');
    const after = await commit(dir, 'remove submodule', {});
    assert.not.ok(existsSync(join(dir, '.gitmodules')));
    const r = await detectChanges({ repo: dir, before, after });
    assert.equal(r.files.map((f) => [f.path, f.status, f.class]), [['.gitmodules', 'D', 'code'], ['config/lib', 'D', 'code']]);
    assert.is(r.kind, 'code');
    assert.equal(r.deletedConfigFiles, [], 'the submodule is not configuration to delete');
  } finally {
    remove(dir);
    remove(sub.dir);
  }
});

test('given a repository folder that does not exist, is not a git repository, or is empty, the error names the folder and says how to fix it', async () => {
  const { dir, first } = await initRepo(BASE);
  const plain = tempDir('argots-plain-');
  try {
    const after = await commit(dir, 'change', { 'services/api/src/main.ts': 'v2\n' });
    const missing = join(plain, 'nope');
    for (const before of [first, ZERO_SHA]) {
      const gone = await rejection(() => detectChanges({ repo: missing, before, after }));
      assert.is(gone.code, 'RUN811');
      assert.match(gone.message, `repository "${missing}" does not exist`);
      assert.match(gone.hint ?? '', /--repo/);
      const notGit = await rejection(() => detectChanges({ repo: plain, before, after }));
      assert.is(notGit.code, 'RUN812');
      assert.match(notGit.message, `repository "${plain}" is not a git repository (no .git)`);
      assert.match(notGit.hint ?? '', /clone|check out/);
    }
    const empty = await rejection(() => detectChanges({ repo: '', before: first, after }));
    assert.is(empty.code, 'RUN813');
    assert.match(empty.message, /repository path is empty/);
    assert.ok((empty.hint ?? '').length > 0);
  } finally {
    remove(dir);
    remove(plain);
  }
});

test('given a rules path that is a folder or a file that cannot be read, the error names it and says what was expected', async () => {
  const { dir, first } = await initRepo(BASE);
  const server = createServer();
  try {
    const after = await commit(dir, 'change', { 'services/api/src/main.ts': 'v2\n' });
    const folder = await rejection(() => detectChanges({ repo: dir, before: first, after, rules: 'services' }));
    assert.is(folder.code, 'RUN802');
    assert.match(folder.message, /change rules file "services" is a folder, expected a YAML file/);
    assert.match(folder.hint ?? '', /\.argots\/changes\.yaml/);
    // A socket exists but cannot be opened, whoever runs the test (permissions do not stop root).
    await new Promise<void>((resolve) => server.listen(join(dir, 'rules.sock'), resolve));
    const unreadable = await rejection(() => loadChangeRules(dir, 'rules.sock'));
    assert.is(unreadable.code, 'RUN802');
    assert.match(unreadable.message, /change rules file "rules\.sock" could not be read \(ENXIO\)/);
    assert.ok((unreadable.hint ?? '').length > 0);
    if (process.getuid?.() !== 0) {
      writeFileSync(join(dir, 'locked.yaml'), 'services: {}\n');
      chmodSync(join(dir, 'locked.yaml'), 0);
      assert.match((await rejection(() => loadChangeRules(dir, 'locked.yaml'))).message, /could not be read \(EACCES\)/);
    }
  } finally {
    server.close();
    remove(dir);
  }
});

test('every malformed rules file is refused with a hint', async () => {
  for (const text of ['- a\n- b\n', '42\n', 'services: [a, b]\n', 'services:\n  api: 42\n', 'config: {a: 1}\n', 'code: [""]\n', 'ignore: [unclosed\n']) {
    const e = await rejection(() => parseChangeRules(text));
    assert.match(e.code, /^RUN80[01]$/);
    assert.ok((e.hint ?? '').length > 0, `${JSON.stringify(text)} (${e.message}) has a hint`);
  }
});

test('given a changed path holding a line break under a config folder, it is config, as git\'s own globs would say', async () => {
  const { dir, first } = await initRepo(BASE);
  try {
    const after = await commit(dir, 'odd name', { 'services/api/config/new\nline.yaml': 'a: 1\n', 'services/api/src/new\nline.ts': 'x\n' });
    const r = await detectChanges({ repo: dir, before: first, after });
    assert.equal(r.configFiles, ['services/api/config/new\nline.yaml']);
    assert.equal(r.codeFiles, ['services/api/src/new\nline.ts']);
    const api = r.services.find((s) => s.name === 'api');
    assert.equal([api?.kind, api?.configFiles, api?.codeFiles], ['code', ['services/api/config/new\nline.yaml'], ['services/api/src/new\nline.ts']]);
  } finally {
    remove(dir);
  }
});

test.run();
