import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { detectBuild } from '../src/detect/detect-build.js';
import { RuntimeError } from '../src/runtime-error.js';
import { remove, tempDir, writeFiles } from './git-fixtures.js';

function repo(files: Record<string, string>): string {
  const dir = tempDir('argots-build-');
  writeFiles(dir, files);
  return dir;
}

test('given Dockerfile, *.Dockerfile and Containerfile in a service folder, they are all found and it builds with Dockerfiles', async () => {
  const dir = repo({
    'services/api/Dockerfile': 'FROM node\n',
    'services/api/tools/migrate.Dockerfile': 'FROM node\n',
    'services/api/node_modules/x/Dockerfile': 'FROM x\n',
    'services/web/Containerfile': 'FROM nginx\n',
    'services/api/Dockerfile.md': 'not a dockerfile\n',
  });
  try {
    const r = await detectBuild({ repo: dir, context: 'services/api' });
    assert.equal(r, { kind: 'dockerfile', dockerfiles: ['services/api/Dockerfile', 'services/api/tools/migrate.Dockerfile'], bakeFiles: [], targets: [] });
    assert.equal((await detectBuild({ repo: dir, context: 'services/web' })).dockerfiles, ['services/web/Containerfile']);
    assert.is((await detectBuild({ repo: dir, context: 'services' })).dockerfiles.length, 3);
  } finally {
    remove(dir);
  }
});

test('given HCL and JSON bake files plus an override, they merge in bake order and the default group resolves inherits, matrix and variables', async () => {
  const dir = repo({
    'docker-bake.hcl': `
variable "REGISTRY" { default = "registry.dev.acme.io" }
variable "TAG" { default = "latest" }
group "default" { targets = ["api", "workers"] }
group "workers" { targets = ["worker"] }
target "_common" {
  context = "."
  platforms = ["linux/amd64"]
  args = { NODE_VERSION = "20" }
}
target "api" {
  inherits = ["_common"]
  dockerfile = "services/api/Dockerfile"
  tags = ["\${REGISTRY}/shop/api:\${TAG}"]
}
target "worker" {
  inherits = ["_common"]
  name = "worker-\${queue}"
  matrix = { queue = ["email", "billing"] }
  dockerfile = "services/worker/Dockerfile"
  args = { QUEUE = "\${queue}" }
  tags = ["\${REGISTRY}/shop/worker-\${queue}:\${TAG}"]
}
target "unused" { dockerfile = "x" }
`,
    'docker-bake.json': JSON.stringify({ variable: { TAG: { default: 'from-json' } }, target: { api: { target: 'runtime' } } }),
    'docker-bake.override.hcl': 'variable "TAG" { default = "1.4.2" }\ntarget "api" { platforms = ["linux/amd64", "linux/arm64"] }\n',
    'services/api/Dockerfile': 'FROM node\n',
  });
  try {
    const r = await detectBuild({ repo: dir });
    assert.is(r.kind, 'bake');
    assert.equal(r.bakeFiles, ['docker-bake.json', 'docker-bake.hcl', 'docker-bake.override.hcl']);
    assert.equal(r.targets.map((t) => t.name), ['api', 'worker-email', 'worker-billing']);
    const api = r.targets[0];
    // HCL is merged after JSON, the override last: target from JSON kept, platforms from the override, TAG from the override.
    assert.equal(api && { ...api, attributes: undefined }, {
      name: 'api', context: '.', dockerfile: 'services/api/Dockerfile', target: 'runtime',
      tags: ['registry.dev.acme.io/shop/api:1.4.2'], platforms: ['linux/amd64', 'linux/arm64'], args: { NODE_VERSION: '20' }, attributes: undefined,
    });
    const billing = r.targets[2];
    assert.equal(billing?.args, { QUEUE: 'billing' }, 'a target\'s own args replace inherited ones, as bake does for a whole attribute');
    assert.equal(billing?.tags, ['registry.dev.acme.io/shop/worker-billing:1.4.2']);
    assert.equal((await detectBuild({ repo: dir, group: 'workers' })).targets.map((t) => t.name), ['worker-email', 'worker-billing']);
    assert.equal((await detectBuild({ repo: dir, env: { TAG: 'from-env' } })).targets[0]?.tags, ['registry.dev.acme.io/shop/api:from-env']);
    const e = await detectBuild({ repo: dir, group: 'nope' }).then(() => undefined, (x: unknown) => x);
    assert.instance(e, RuntimeError);
    assert.match((e as Error).message, /"nope"/);
    assert.match((e as Error).message, /groups: "default", "workers"/);
  } finally {
    remove(dir);
  }
});

test('compose files count only through services with a build section', async () => {
  const onlyImages = repo({ 'compose.yaml': 'services:\n  db:\n    image: postgres:16\n', 'Dockerfile': 'FROM x\n' });
  const building = repo({
    'docker-compose.yml': 'services:\n  db:\n    image: postgres:16\n  api:\n    image: shop/api:dev\n    build:\n      context: ./api\n      dockerfile: api.Dockerfile\n      args: [MODE=prod]\n  web:\n    build: ./web\n',
  });
  try {
    assert.equal(await detectBuild({ repo: onlyImages }), { kind: 'dockerfile', dockerfiles: ['Dockerfile'], bakeFiles: [], targets: [] });
    const r = await detectBuild({ repo: building });
    assert.is(r.kind, 'bake');
    assert.equal(r.bakeFiles, ['docker-compose.yml']);
    assert.equal(r.targets.map((t) => [t.name, t.context, t.dockerfile, t.tags, t.args]), [
      ['api', './api', 'api.Dockerfile', ['shop/api:dev'], { MODE: 'prod' }],
      ['web', './web', 'Dockerfile', [], {}],
    ]);
  } finally {
    remove(onlyImages);
    remove(building);
  }
});

test('an inherits cycle and a malformed HCL file are reported clearly; an empty folder builds nothing', async () => {
  const cycle = repo({ 'docker-bake.hcl': 'group "default" { targets = ["a"] }\ntarget "a" { inherits = ["b"] }\ntarget "b" { inherits = ["a"] }\n' });
  const broken = repo({ 'docker-bake.hcl': 'target "a" {\n  tags = [\n' });
  const empty = repo({ 'README.md': 'x\n' });
  try {
    const e1 = await detectBuild({ repo: cycle }).then(() => undefined, (x: unknown) => x);
    assert.match(String((e1 as Error).message), /inherits from itself: a → b → a/);
    const e2 = await detectBuild({ repo: broken }).then(() => undefined, (x: unknown) => x);
    assert.instance(e2, RuntimeError);
    assert.match(String((e2 as Error).message), /bake file "docker-bake.hcl" could not be parsed/);
    assert.equal(await detectBuild({ repo: empty }), { kind: 'none', dockerfiles: [], bakeFiles: [], targets: [] });
  } finally {
    remove(cycle);
    remove(broken);
    remove(empty);
  }
});

test.run();
