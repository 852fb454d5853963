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

test('every default pattern, and some more, match exactly the paths picomatch matches', () => {
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

test.run();
