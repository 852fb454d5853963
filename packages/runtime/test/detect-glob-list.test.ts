/** The glob lists of the change rules agree with picomatch (dot files included), and read like .gitignore. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import picomatch from 'picomatch';
import { compileGlobList } from '../src/detect/_internal/glob-list.js';
import { DEFAULT_CODE, DEFAULT_CONFIG, DEFAULT_IGNORE } from '../src/detect/change-rules.js';

const PATHS = [
  'package.json', 'a/package.json', 'a/b/c/package-lock.json', 'services/api/Dockerfile', 'services/api/api.Dockerfile',
  'Dockerfile.dev', 'x/Dockerfile.prod', '.env', 'svc/.env', 'svc/.env.local', 'prod.env', 'config/app.yaml', 'a/config/b/c.json',
  'configs/x.yaml', 'k8s/deploy.yaml', 'a/k8s/x.yml', 'chart/values.yaml', 'chart/values-prod.yaml', 'chart/myvalues.yaml',
  'README.md', 'docs/a.txt', 'a/docs/b/c.png', 'LICENSE', 'LICENSE.txt', 'sub/LICENSE-MIT', '.github/workflows/ci.yml',
  'src/main.ts', 'src/.hidden/x.ts', 'deploy/x.yaml', 'a/deploy/y.yaml', 'deployment/x.yaml', 'helm/c/values.yaml',
  'a/b/kustomization.yaml', 'Kustomization', 'x/configmap-app.yaml', 'x/app-configmap.yaml', 'x/app.configmap.yaml',
  'requirements.txt', 'requirements-dev.txt', 'tsconfig.json', 'tsconfig.build.json', 'a/settings.gradle.kts', '.argots/changes.yaml',
];

const EXTRA = ['src/**/*.{ts,tsx}', 'a?c/**', '**/[abc]*.yaml', 'services/*/config/**', '**/*.lock', 'x/**/y/*.json', '*.md', '**/+(foo|bar).txt'];

test('every default pattern, and some more, match exactly the paths picomatch matches (paths without line breaks: see below)', () => {
  for (const pattern of [...DEFAULT_CODE, ...DEFAULT_CONFIG, ...DEFAULT_IGNORE, ...EXTRA]) {
    const ours = compileGlobList([pattern]);
    const reference = picomatch(pattern, { dot: true });
    for (const path of [...PATHS, 'abc/x', 'src/a/b.tsx', 'x/1/2/y/z.json', 'x/y/z.json', 'q/foo.txt', 'q/baz.txt', 'b1.yaml', 'd/a.lock']) {
      assert.is(ours.matches(path), reference(path), `pattern ${JSON.stringify(pattern)} on ${JSON.stringify(path)}`);
    }
  }
});

test('a plain folder means the folder and everything under it, and the last matching pattern decides', () => {
  const l = compileGlobList(['services/api', '!services/api/docs/**', 'services/api/docs/keep.md']);
  assert.ok(l.matches('services/api'));
  assert.ok(l.matches('services/api/src/a.ts'));
  assert.not.ok(l.matches('services/api-v2/src/a.ts'));
  assert.not.ok(l.matches('services/api/docs/x.md'));
  assert.ok(l.matches('services/api/docs/keep.md'));
});

test('a folder anywhere (**/x/**): at the root, nested, or as the last segment; never part of a longer name', () => {
  const l = compileGlobList(['**/config/**', '**/.hidden/**', '**/a/b/**']);
  for (const p of ['config', 'config/x.yaml', 'svc/config', 'svc/config/x.yaml', 'a/b/config/c/d.json', '.hidden/x', 'svc/.hidden/.x', 'a/b', 'x/a/b/c']) {
    assert.ok(l.matches(p), p);
  }
  for (const p of ['configs/x.yaml', 'svc/myconfig/x', 'svc/config.yaml', 'config.d/x', 'hidden/x', 'a/bc/x', 'xa/b/c', 'b/a']) assert.not.ok(l.matches(p), p);
});

test('a folder at the root (x/** or the plain folder x): x itself and everything under it, not an x further down', () => {
  const l = compileGlobList(['deploy/**', 'services/api', '.github/**']);
  for (const p of ['deploy', 'deploy/x.yaml', 'deploy/a/b/c', 'services/api', 'services/api/src/a.ts', '.github/workflows/ci.yml']) assert.ok(l.matches(p), p);
  for (const p of ['deployment/x', 'a/deploy/x', 'services/api-v2/a.ts', 'services/apix', 'x/services/api/a.ts', '.githubx/a']) assert.not.ok(l.matches(p), p);
});

test('a file name (**/name): the name in any folder, dot files included, never a longer name', () => {
  const l = compileGlobList(['**/package.json', '**/.env']);
  for (const p of ['package.json', 'a/b/package.json', '.env', 'svc/.env']) assert.ok(l.matches(p), p);
  for (const p of ['package.json5', 'apackage.json', 'package.json/x', '.env.local', 'svc/.envrc']) assert.not.ok(l.matches(p), p);
});

test('a name with one * (**/values*.yaml, **/*.md, LICENSE* at the root): both ends compared, never overlapping', () => {
  const l = compileGlobList(['**/values*.yaml', '**/*.md', 'LICENSE*', '**/ab*ba']);
  for (const p of ['values.yaml', 'chart/values-prod.yaml', 'a/b/README.md', '.md', 'LICENSE', 'LICENSE.txt', 'abba', 'x/ab-ba']) assert.ok(l.matches(p), p);
  for (const p of ['myvalues.yaml', 'values.yml', 'values.yaml/x', 'a.mdx', 'docs/LICENSE', 'aba', 'x/abb']) assert.not.ok(l.matches(p), p);
  assert.ok(compileGlobList(['**/*']).matches('a/.hidden'), 'a lone * matches dot files');
  assert.not.ok(compileGlobList(['*']).matches('a/b'), 'a top-level * stays at the top');
});

test('the cheap shapes keep the order: a later negation excludes, a later pattern brings back, the last match wins', () => {
  const l = compileGlobList(['**/config/**', '!config/**', '**/secret/**', '!**/docs/**', '**/keep.md', '!**/package.json', '!**/*.tmp']);
  assert.ok(l.matches('svc/config/a.yaml'));
  assert.not.ok(l.matches('config/a.yaml'), 'excluded at the root by the later negation');
  assert.ok(l.matches('config/secret/a.yaml'), 'brought back by a later pattern');
  assert.not.ok(l.matches('svc/config/docs/a.txt'));
  assert.ok(l.matches('svc/config/docs/keep.md'));
  assert.not.ok(l.matches('svc/config/package.json'));
  assert.not.ok(l.matches('svc/config/secret/x.tmp'));
  assert.not.ok(compileGlobList(['!**/config/**', '**/config/**', '!config']).matches('config'));
  assert.ok(compileGlobList(['!**/config/**', '**/config/**', '!config']).matches('a/config'));
});

test('a path holding a line break: *, ?, ** and folder globs treat the line break as an ordinary character, as git does', () => {
  // git allows line breaks in paths and its wildmatch treats them like any other character (picomatch does
  // not: its expressions use `.`, which stops at them, so it is no reference for these paths).
  const matching: [string, string][] = [
    ['config/**', 'config/a\nb'], ['**/config/**', 'x\ny/config/a'], ['**/config/**', 'config/\u2028'], ['services/api', 'services/api/a\rb'],
    ['**/config/**', 'services/x/config/new\nline.yaml'], ['**/*.yaml', 'a/new\nline.yaml'], ['**/values*.yaml', 'chart/values\n.yaml'],
    ['src/*.ts', 'src/a\nb.ts'], ['a?c/**', 'a\nc/x'], ['x/**/y/*.json', 'x/1\n2/y/z.json'], ['**/[!a]x', 'q/\nx'],
    ['**/+(foo|bar).txt', 'q\n/foo.txt'], ['.', 'a\nb'], ['**', '\n'],
  ];
  for (const [pattern, path] of matching) assert.ok(compileGlobList([pattern]).matches(path), `${pattern} on ${JSON.stringify(path)}`);
  const notMatching: [string, string][] = [['*', 'a\n/b'], ['src/?.ts', 'src/\n\n.ts'], ['config/**', 'configs\n/a'], ['**/config/**', 'svc/my\nconfig/a'], ['**/.env', 'svc/.env\n']];
  for (const [pattern, path] of notMatching) assert.not.ok(compileGlobList([pattern]).matches(path), `${pattern} on ${JSON.stringify(path)}`);
  assert.not.ok(compileGlobList(['**/config/**', '!**/config/secret\n/**']).matches('a/config/secret\n/x'), 'a negation with a line break excludes');
});

test('a line break anywhere in a path is matched as any other character would be (every pattern, every path)', () => {
  // An ordinary character no pattern names stands in for the line break; both must give the same answer.
  const patterns = [...DEFAULT_CODE, ...DEFAULT_CONFIG, ...DEFAULT_IGNORE, ...EXTRA];
  for (const pattern of patterns) {
    const l = compileGlobList([pattern]);
    for (const path of PATHS) {
      for (let i = 0; i <= path.length; i++) {
        for (const brk of ['\n', '\r', '\u2028', '\u2029']) {
          const odd = path.slice(0, i) + brk + path.slice(i);
          assert.is(l.matches(odd), l.matches(path.slice(0, i) + '~' + path.slice(i)), `pattern ${JSON.stringify(pattern)} on ${JSON.stringify(odd)}`);
        }
      }
    }
  }
});

test.run();
