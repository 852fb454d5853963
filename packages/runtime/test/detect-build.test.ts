import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { BakeTarget } from '../src/detect/bake-definition.js';
import { detectBuild } from '../src/detect/detect-build.js';
import { remove, tempDir, writeFiles } from './git-fixtures.js';
import { rejection } from './rejection.js';

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
    // buildx resolves inherits with Target.Merge, which merges args key by key (bake/bake.go; TestNestedInherits).
    assert.equal(billing?.args, { NODE_VERSION: '20', QUEUE: 'billing' }, 'a target\'s own args are added to the inherited ones');
    assert.equal(billing?.tags, ['registry.dev.acme.io/shop/worker-billing:1.4.2']);
    assert.equal((await detectBuild({ repo: dir, group: 'workers' })).targets.map((t) => t.name), ['worker-email', 'worker-billing']);
    assert.equal((await detectBuild({ repo: dir, env: { TAG: 'from-env' } })).targets[0]?.tags, ['registry.dev.acme.io/shop/api:from-env']);
    const e = await rejection(detectBuild({ repo: dir, group: 'nope' }));
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
    const e1 = await rejection(detectBuild({ repo: cycle }));
    assert.match(String((e1 as Error).message), /inherits from itself: a → b → a/);
    const e2 = await rejection(detectBuild({ repo: broken }));
    assert.match(String((e2 as Error).message), /bake file "docker-bake.hcl" could not be parsed as HCL: line 3, column 1: /);
    assert.equal(await detectBuild({ repo: empty }), { kind: 'none', dockerfiles: [], bakeFiles: [], targets: [] });
  } finally {
    remove(cycle);
    remove(broken);
    remove(empty);
  }
});

/** A resolved target without the catch-all `attributes`, to compare with a literal. */
const core = (t: BakeTarget | undefined) => t && { name: t.name, context: t.context, dockerfile: t.dockerfile, ...(t.target ? { target: t.target } : {}), tags: t.tags, platforms: t.platforms, args: t.args };

test('given compose.yaml and docker-bake.hcl in one folder, HCL targets merge into the compose services and an HCL default group replaces the compose one', async () => {
  const dir = repo({
    'compose.yaml': `services:
  db:
    image: postgres:16
  api:
    image: shop/api:dev
    build:
      context: ./services/api
      dockerfile: api.Dockerfile
      args:
        MODE: dev
        NODE_VERSION: "20"
  worker:
    build: ./services/worker
`,
    'docker-bake.hcl': `variable "TAG" { default = "1.4.2" }
target "api" {
  tags = ["registry.acme.io/shop/api:\${TAG}"]
  platforms = ["linux/amd64", "linux/arm64"]
  args = { MODE = "prod" }
}
`,
  });
  try {
    // Bake reads compose.yaml first, then docker-bake.hcl; Target.Merge replaces tags and platforms and
    // merges args key by key (docs.docker.com/build/bake/reference "File format"; buildx bake/bake.go).
    const r = await detectBuild({ repo: dir });
    assert.equal(r.bakeFiles, ['compose.yaml', 'docker-bake.hcl']);
    assert.equal(r.targets.map(core), [
      { name: 'api', context: './services/api', dockerfile: 'api.Dockerfile', tags: ['registry.acme.io/shop/api:1.4.2'], platforms: ['linux/amd64', 'linux/arm64'], args: { MODE: 'prod', NODE_VERSION: '20' } },
      { name: 'worker', context: './services/worker', dockerfile: 'Dockerfile', tags: [], platforms: [], args: {} },
    ]);
    // A group has no Merge in buildx: the HCL "default" replaces the compose one (buildx TestReadTargetsMixed).
    writeFiles(dir, { 'docker-bake.hcl': `${readFileSync(join(dir, 'docker-bake.hcl'), 'utf8')}group "default" { targets = ["api"] }\n` });
    assert.equal((await detectBuild({ repo: dir })).targets.map((t) => t.name), ['api']);
  } finally {
    remove(dir);
  }
});

test('given compose.yaml and docker-compose.yml, they merge as one Compose project: services by name, build args by key, the image from either file', async () => {
  const dir = repo({
    'compose.yaml': `services:
  db:
    image: postgres:16
  api:
    image: registry.acme.io/shop/api:dev
    build:
      context: ./api
      args:
        NODE_VERSION: "20"
        MODE: dev
  web:
    build: ./web
  worker:
    image: registry.acme.io/shop/worker:dev
`,
    'docker-compose.yml': `services:
  api:
    build:
      dockerfile: api.Dockerfile
      args:
        - MODE=prod
        - GIT_SHA=abc123
  web:
    build:
      target: runtime
      platforms: [linux/amd64]
  worker:
    build: ./worker
`,
  });
  try {
    // compose-go merges the files before bake sees them (override/merge.go: build.args by key, a string
    // build is its context, scalars replaced); bake then turns each service with build: into a target.
    const r = await detectBuild({ repo: dir });
    assert.equal(r.bakeFiles, ['compose.yaml', 'docker-compose.yml']);
    assert.equal(r.targets.map(core), [
      { name: 'api', context: './api', dockerfile: 'api.Dockerfile', tags: ['registry.acme.io/shop/api:dev'], platforms: [], args: { NODE_VERSION: '20', MODE: 'prod', GIT_SHA: 'abc123' } },
      { name: 'web', context: './web', dockerfile: 'Dockerfile', target: 'runtime', tags: [], platforms: ['linux/amd64'], args: {} },
      { name: 'worker', context: './worker', dockerfile: 'Dockerfile', tags: ['registry.acme.io/shop/worker:dev'], platforms: [], args: {} },
    ]);
  } finally {
    remove(dir);
  }
});

test('given docker-bake.override.json and docker-bake.override.hcl, they override docker-bake.hcl targets and variable defaults, and a redefined group replaces the earlier one', async () => {
  const dir = repo({
    'docker-bake.hcl': `variable "REGISTRY" { default = "registry.dev.acme.io" }
variable "TAG" { default = "latest" }
group "default" { targets = ["api", "web"] }
target "api" {
  context = "services/api"
  args = { NODE_VERSION = "20", LOG_LEVEL = "info" }
  tags = ["\${REGISTRY}/shop/api:\${TAG}"]
  platforms = ["linux/amd64"]
}
target "web" {
  context = "services/web"
  tags = ["\${REGISTRY}/shop/web:\${TAG}"]
}
`,
    'docker-bake.override.json': JSON.stringify({
      variable: { REGISTRY: { default: 'registry.prod.acme.io' } },
      target: { api: { args: { LOG_LEVEL: 'warn' }, tags: ['${REGISTRY}/shop/api:${TAG}', '${REGISTRY}/shop/api:stable'] } },
    }),
    'docker-bake.override.hcl': `variable "TAG" { default = "1.4.2" }
group "default" { targets = ["api"] }
target "api" { platforms = ["linux/amd64", "linux/arm64"] }
`,
  });
  try {
    // Order: docker-bake.hcl, docker-bake.override.json, docker-bake.override.hcl (buildx defaultFilenames).
    const r = await detectBuild({ repo: dir });
    assert.equal(r.bakeFiles, ['docker-bake.hcl', 'docker-bake.override.json', 'docker-bake.override.hcl']);
    assert.equal(r.targets.map(core), [
      {
        name: 'api', context: 'services/api', dockerfile: 'Dockerfile',
        tags: ['registry.prod.acme.io/shop/api:1.4.2', 'registry.prod.acme.io/shop/api:stable'],
        platforms: ['linux/amd64', 'linux/arm64'],
        args: { NODE_VERSION: '20', LOG_LEVEL: 'warn' },
      },
    ]);
    // The earlier group "default" (api, web) is gone, not unioned; web is still a target of its own.
    assert.equal((await detectBuild({ repo: dir, group: 'web' })).targets.map((t) => [t.name, t.tags]), [['web', ['registry.prod.acme.io/shop/web:1.4.2']]]);
  } finally {
    remove(dir);
  }
});

test('a malformed compose or bake file is reported with its name, what was expected and a hint', async () => {
  const cases: [string, string, RegExp][] = [
    ['compose.yaml', 'services:\n  api:\n    build: ./api\n   image: shop/api\n', /^"compose\.yaml": is not valid YAML: .*line 4/],
    ['compose.yaml', 'services:\n  - api\n  - web\n', /^"compose\.yaml": "services" must be a mapping of service names to services, received a list$/],
    ['compose.yaml', 'services:\n  api:\n    build: 42\n', /^"compose\.yaml": services\.api\.build must be a build context path or a mapping .*received a number \(42\)$/],
    ['docker-compose.yml', 'services:\n  api:\n    build:\n      context: .\n      args: MODE=prod\n', /^"docker-compose\.yml": services\.api\.build\.args must be a mapping .*received a string/],
    ['docker-bake.json', '{\n  "group": { "default": { "targets": ["api"] } }\n  "target": { "api": {} }\n}\n', /^bake file "docker-bake\.json" could not be parsed as JSON: line 3, column 3: /],
    ['docker-bake.json', '["api"]\n', /^bake file "docker-bake\.json": expected an object with "target", "group" and "variable" entries, received a list$/],
    ['docker-bake.hcl', 'target "api" {\n  tags = "shop/api:dev"\n}\n', /^bake file "docker-bake\.hcl": target "api": "tags" must be a list of strings, received a string \("shop\/api:dev"\)$/],
    ['docker-bake.hcl', 'target "api" "web" {\n  context = "."\n}\n', /^bake file "docker-bake\.hcl": target "api" has more than one label/],
    ['docker-bake.hcl', 'group "default" { targets = "api" }\ntarget "api" {}\n', /^bake file "docker-bake\.hcl": group "default": "targets" must be a list of target or group names, received a string/],
  ];
  for (const [file, text, expected] of cases) {
    const dir = repo({ [file]: text });
    try {
      const e = await rejection(detectBuild({ repo: dir }), `${file}: ${JSON.stringify(text)}`);
      assert.match(e.message, expected);
      assert.ok((e.hint ?? '').length > 0, `${file} has a hint`);
    } finally {
      remove(dir);
    }
  }
});

test('given an empty repository path or a folder that does not exist, the error says so instead of looking elsewhere', async () => {
  const parent = tempDir('argots-build-');
  try {
    const missing = join(parent, 'nope');
    for (const context of [undefined, 'services/api']) {
      const e = await rejection(detectBuild({ repo: missing, ...(context ? { context } : {}) }));
      assert.is(e.code, 'RUN811');
      assert.match(e.message, `repository "${missing}" does not exist`);
      assert.ok((e.hint ?? '').length > 0);
    }
    // An empty path must not analyse the process's working directory instead.
    const empty = await rejection(detectBuild({ repo: '', context: 'packages' }));
    assert.is(empty.code, 'RUN813');
    assert.match(empty.message, /repository path is empty/);
    assert.ok((empty.hint ?? '').length > 0);
  } finally {
    remove(parent);
  }
});

test('a bake target inheriting an undefined target, or a group containing itself, is refused with a hint', async () => {
  const cases: [string, RegExp][] = [
    ['group "default" { targets = ["api"] }\ntarget "api" { inherits = ["_base"] }\n', /bake target "_base" is not defined/],
    ['group "default" { targets = ["all"] }\ngroup "all" { targets = ["default"] }\ntarget "api" {}\n', /bake group "default" contains itself/],
  ];
  for (const [text, expected] of cases) {
    const dir = repo({ 'docker-bake.hcl': text });
    try {
      const e = await rejection(detectBuild({ repo: dir }), text);
      assert.match(e.message, expected);
      assert.ok((e.hint ?? '').length > 0, `${e.message} has a hint`);
    } finally {
      remove(dir);
    }
  }
});

test('given a matrix whose values are maps, ${item.key} reads their attributes in name, args and tags (buildx: one target per map)', async () => {
  const dir = repo({
    'docker-bake.hcl': `group "default" { targets = ["app"] }
target "app" {
  name = "app-\${item.tgt}"
  matrix = { item = [{ tgt = "a", ver = "1" }, { tgt = "b", ver = "2" }] }
  context = "services/\${item.tgt}"
  args = { VER = "\${item.ver}", BARE = item.ver, INDEXED = "\${item["tgt"]}" }
  tags = ["acme/app-\${item.tgt}:\${item.ver}"]
}
`,
  });
  try {
    const r = await detectBuild({ repo: dir });
    assert.equal(r.targets.map(core), [
      { name: 'app-a', context: 'services/a', dockerfile: 'Dockerfile', tags: ['acme/app-a:1'], platforms: [], args: { VER: '1', BARE: '1', INDEXED: 'a' } },
      { name: 'app-b', context: 'services/b', dockerfile: 'Dockerfile', tags: ['acme/app-b:2'], platforms: [], args: { VER: '2', BARE: '2', INDEXED: 'b' } },
    ]);
  } finally {
    remove(dir);
  }
});

test('a .env file beside the Compose files gives their variables (the step environment wins), read as compose reads it', async () => {
  const dir = repo({
    'compose.yaml': 'services:\n  api:\n    image: ${REGISTRY}/api:${TAG}\n    build:\n      context: .\n      args:\n        NOTE: ${NOTE}\n        LITERAL: ${LITERAL}\n        PLAIN: ${PLAIN}\n',
    '.env': [
      '# registry for local builds',
      'REGISTRY=reg.acme.io   # inline comment',
      'export TAG="1.0.0"',
      'NOTE="two\\nlines # not a comment"',
      "LITERAL='${REGISTRY} as written'",
      'PLAIN=${REGISTRY}/x',
      '',
    ].join('\n'),
  });
  try {
    const r = await detectBuild({ repo: dir, env: {} });
    assert.equal(r.targets.map((t) => [t.tags, t.args]), [[['reg.acme.io/api:1.0.0'], { NOTE: 'two\nlines # not a comment', LITERAL: '${REGISTRY} as written', PLAIN: 'reg.acme.io/x' }]]);
    const over = await detectBuild({ repo: dir, env: { TAG: '1.4.2' } });
    assert.equal(over.targets[0]?.tags, ['reg.acme.io/api:1.4.2'], 'the step environment wins over .env');
    writeFiles(dir, { '.env': 'OK=1\nthis is not a variable\n' });
    const e = await rejection(detectBuild({ repo: dir, env: {} }));
    assert.match(e.message, /^"\.env" \(read for the Compose files\): line 2: expected KEY=value, received "this is not a variable"$/);
  } finally {
    remove(dir);
  }
});

test('compose files are interpolated from the step environment like compose: $VAR, ${VAR}, defaults, alternatives, $$, and a required variable without a value is an error', async () => {
  const dir = repo({
    'compose.yaml': `services:
  api:
    image: \${REGISTRY}/api:\${TAG:-dev}
    build:
      context: \${CTX:-.}
      args:
        VERSION: \${TAG}
        PLAIN: $REGISTRY/x
        UNSET_DASH: "\${NOPE-unset}"
        EMPTY_DASH: "[\${EMPTY-unset}]"
        EMPTY_COLON: "\${EMPTY:-fallback}"
        ALT: "\${TAG:+has-tag}"
        ALT_EMPTY: "[\${EMPTY:+x}][\${EMPTY+y}][\${NOPE+z}]"
        NESTED: "\${NOPE:-\${TAG}}"
        LITERAL: "$$HOME and $\${TAG} cost $5"
        MISSING: "[\${NOPE}]"
`,
    // Interpolated per file before the merge; its literal \${X} is not read as an HCL variable.
    'docker-bake.hcl': 'variable "TAG" { default = "from-hcl" }\n',
  });
  try {
    const env = { REGISTRY: 'reg.acme.io', TAG: '1.4.2', EMPTY: '' };
    const r = await detectBuild({ repo: dir, env });
    assert.equal(r.targets.map(core), [
      {
        name: 'api', context: '.', dockerfile: 'Dockerfile', tags: ['reg.acme.io/api:1.4.2'], platforms: [],
        args: {
          VERSION: '1.4.2', PLAIN: 'reg.acme.io/x', UNSET_DASH: 'unset', EMPTY_DASH: '[]', EMPTY_COLON: 'fallback', ALT: 'has-tag',
          ALT_EMPTY: '[][y][]', NESTED: '1.4.2', LITERAL: '$HOME and ${TAG} cost $5', MISSING: '[]',
        },
      },
    ]);
    assert.equal((await detectBuild({ repo: dir, env: { REGISTRY: 'r', CTX: './api' } })).targets.map((t) => [t.context, t.tags]), [['./api', ['r/api:dev']]]);
    const cases: [string, Record<string, string>, RegExp][] = [
      ['image: ${REGISTRY:?set the registry}/api', { REGISTRY: '' }, /^"compose\.yaml": services\.api\.image: required variable REGISTRY is missing a value: set the registry$/],
      ['image: ${REGISTRY?}/api', {}, /^"compose\.yaml": services\.api\.image: required variable REGISTRY is missing a value$/],
      ['image: ${}/api', {}, /^"compose\.yaml": services\.api\.image: invalid interpolation format "\$\{\}"/],
    ];
    for (const [line, caseEnv, expected] of cases) {
      writeFiles(dir, { 'compose.yaml': `services:\n  api:\n    ${line}\n    build: .\n` });
      const e = await rejection(detectBuild({ repo: dir, env: caseEnv }), line);
      assert.is(e.code, 'RUN820');
      assert.match(e.message, expected);
      assert.ok((e.hint ?? '').length > 0);
    }
    // ${VAR?err} accepts a variable set to the empty string.
    writeFiles(dir, { 'compose.yaml': 'services:\n  api:\n    image: "api:[${TAG?}]"\n    build: .\n' });
    assert.equal((await detectBuild({ repo: dir, env: { TAG: '' } })).targets[0]?.tags, ['api:[]']);
  } finally {
    remove(dir);
  }
});

test('HCL escapes $${ and %%{ give the literal text ${ and %{, in targets and in variable defaults', async () => {
  const dir = repo({
    'docker-bake.hcl': `variable "TAG" { default = "1" }
variable "TEMPLATE" { default = "$\${TAG}" }
target "api" {
  tags = ["api:\${TAG}", "api:\${TEMPLATE}"]
  args = { LITERAL = "$\${TAG}", PERCENT = "%%{ if x }", MIXED = "\${TAG}-$\${TAG}" }
}
group "default" { targets = ["api"] }
`,
  });
  try {
    const r = await detectBuild({ repo: dir });
    assert.equal(r.targets.map(core), [
      { name: 'api', context: '.', dockerfile: 'Dockerfile', tags: ['api:1', 'api:${TAG}'], platforms: [], args: { LITERAL: '${TAG}', PERCENT: '%{ if x }', MIXED: '1-${TAG}' } },
    ]);
  } finally {
    remove(dir);
  }
});

test('inherits entries are interpolated from variable defaults and the step environment before they are resolved', async () => {
  const dir = repo({
    'docker-bake.hcl': `variable "BASE" { default = "base" }
target "base" {
  dockerfile = "Base.Dockerfile"
  args = { FROM_BASE = "yes" }
}
target "slim" { dockerfile = "Slim.Dockerfile" }
target "api" {
  inherits = ["\${BASE}"]
  tags = ["api:dev"]
}
group "default" { targets = ["api"] }
`,
  });
  try {
    assert.equal((await detectBuild({ repo: dir })).targets.map(core), [
      { name: 'api', context: '.', dockerfile: 'Base.Dockerfile', tags: ['api:dev'], platforms: [], args: { FROM_BASE: 'yes' } },
    ]);
    assert.equal((await detectBuild({ repo: dir, env: { BASE: 'slim' } })).targets.map(core), [
      { name: 'api', context: '.', dockerfile: 'Slim.Dockerfile', tags: ['api:dev'], platforms: [], args: {} },
    ]);
    const e = await rejection(detectBuild({ repo: dir, env: { BASE: 'nope' } }));
    assert.match(e.message, /bake target "nope" is not defined/);
  } finally {
    remove(dir);
  }
});

test.run();
