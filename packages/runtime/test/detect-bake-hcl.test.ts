/**
 * Bake files' HCL evaluated as buildx evaluates it (docker/buildx `bake/hclparser`, docs "Bake file
 * reference", "Functions", "Matrix targets"): function calls anywhere in an attribute, user functions,
 * null variables, matrices named from groups. The fixtures under `fixtures/bake/` are small files written in
 * the shape of real projects' bake files (each names its source).
 */
import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { detectBuild } from '../src/detect/detect-build.js';
import { remove, tempDir, writeFiles } from './git-fixtures.js';
import { rejection } from './rejection.js';

const FIXTURES = join(import.meta.dirname, 'fixtures', 'bake');

function repo(files: Record<string, string>): string {
  const dir = tempDir('argots-bake-hcl-');
  writeFiles(dir, files);
  return dir;
}

function fixture(name: string): string {
  const dir = tempDir('argots-bake-fixture-');
  cpSync(join(FIXTURES, name), dir, { recursive: true });
  return dir;
}

const today = (): string => new Date().toISOString().slice(0, 10);

test('buildx\'s own shape: a null variable leaves the arg out (the Dockerfile default applies), a user function builds the output path, a conditional gives the platforms', async () => {
  const dir = fixture('buildx');
  try {
    const [binaries] = (await detectBuild({ repo: dir })).targets;
    assert.equal(binaries?.name, 'binaries');
    assert.equal(binaries?.args, { BUILDKIT_CONTEXT_KEEP_GIT_DIR: '1' }, 'GO_VERSION = null is left out, not ""');
    assert.equal(binaries?.attributes['output'], ['./bin/build']);
    assert.equal(binaries?.platforms, ['local']);
    const set = (await detectBuild({ repo: dir, env: { GO_VERSION: '1.23', DESTDIR: '/out' } })).targets[0];
    assert.equal(set?.args, { GO_VERSION: '1.23', BUILDKIT_CONTEXT_KEEP_GIT_DIR: '1' });
    assert.equal(set?.attributes['output'], ['/out/build']);
    const validate = (await detectBuild({ repo: dir, group: 'validate' })).targets;
    assert.equal(validate.map((t) => [t.name, t.platforms]), [['lint', []], ['validate-vendor', []]]);
    const multi = (await detectBuild({ repo: dir, group: 'validate', env: { GOLANGCI_LINT_MULTIPLATFORM: '1' } })).targets;
    assert.equal(multi[0]?.platforms, ['darwin/amd64', 'linux/amd64', 'linux/arm64']);
    const cross = (await detectBuild({ repo: dir, group: 'binaries-cross' })).targets[0];
    assert.equal(cross?.platforms.length, 6, 'a child\'s platforms replace the parent\'s');
    assert.equal(cross?.attributes['output'], ['./bin/cross']);
    const image = (await detectBuild({ repo: dir, group: 'image' })).targets[0];
    assert.equal(image?.tags, ['docker/buildx-bin:local']);
  } finally {
    remove(dir);
  }
});

test('2i2c\'s shape: a user function returns the tag list (formatdate, timestamp, substr), and groups name the matrix target or one generated instance', async () => {
  const dir = fixture('2i2c-image-stack');
  try {
    const r = await detectBuild({ repo: dir });
    assert.equal(r.targets.map((t) => [t.name, t.context]), [['base', 'base/'], ['project-project1', 'project1'], ['project-project2', 'project2']]);
    assert.equal(r.targets[0]?.tags, ['quay.io/2i2c/example-base:latest', `quay.io/2i2c/example-base:${today()}`, 'quay.io/2i2c/example-base:0123456789ab']);
    assert.equal(r.targets[2]?.tags[0], 'quay.io/2i2c/example-project2:latest');
    assert.equal(r.targets[1]?.args, { BASE_IMAGE: 'quay.io/2i2c/example-base:latest' });
    assert.equal((await detectBuild({ repo: dir, group: 'second' })).targets.map((t) => t.name), ['project-project2'], 'a group may name a generated target (buildx accepts it)');
    assert.equal((await detectBuild({ repo: dir, group: 'project-project1' })).targets.map((t) => t.name), ['project-project1']);
    const env = await detectBuild({ repo: dir, env: { git_sha: 'fedcba9876543210', image_name_prefix: 'ghcr.io/x/' } });
    assert.equal(env.targets[0]?.tags[2], 'ghcr.io/x/base:fedcba987654');
  } finally {
    remove(dir);
  }
});

test('Alfresco\'s shape: groups of groups, a variable defaulting to formatdate(timestamp()), "$NAME" kept as text, matrix instances named by their value', async () => {
  const dir = fixture('alfresco-bakery');
  try {
    const r = await detectBuild({ repo: dir });
    assert.equal(r.targets.map((t) => t.name), ['repository', 'alfresco-elasticsearch-live-indexing-metadata', 'alfresco-elasticsearch-live-indexing-path']);
    const repository = r.targets[0];
    assert.match(repository?.args['CREATED'] ?? '', new RegExp(`^${today()}T\\d\\d:\\d\\d:\\d\\dZ$`));
    assert.is(repository?.args['LABEL_NAME'], 'Alfresco Java');
    assert.equal(repository?.attributes['labels'], { 'org.label-schema.url': '$LABEL_SOURCE', 'org.opencontainers.image.created': repository?.args['CREATED'] });
    assert.is(repository?.context, './repository');
    const path = r.targets[2];
    assert.equal(path?.tags, ['alfresco-elasticsearch-live-indexing-path:latest']);
    assert.is(path?.args['LIVEINDEXING'], 'alfresco-elasticsearch-live-indexing-path');
    assert.is(path?.args['JAVA_MAJOR'], '17', 'inherited from java_base');
    assert.equal((await detectBuild({ repo: dir, group: 'metadata-only' })).targets.map((t) => t.name), ['alfresco-elasticsearch-live-indexing-metadata']);
  } finally {
    remove(dir);
  }
});

test('libretime\'s shape: a compose file\'s building services merged with docker-bake.json targets, whose strings are HCL templates too', async () => {
  const dir = fixture('libretime');
  try {
    const r = await detectBuild({ repo: dir });
    assert.equal(r.bakeFiles, ['docker-compose.yml', 'docker-bake.json']);
    assert.equal(r.targets.map((t) => [t.name, t.target, t.tags]), [
      ['analyzer', 'libretime-analyzer', ['ghcr.io/libretime/libretime-analyzer:latest']],
      ['api', 'libretime-api', ['ghcr.io/libretime/libretime-api:latest', 'ghcr.io/libretime/libretime-api:4.2']],
    ]);
  } finally {
    remove(dir);
  }
});

test('function calls without a nested ${} are evaluated: formatlist, split, join, for expressions, conditionals, a matrix from a variable', async () => {
  const dir = repo({
    'docker-bake.hcl': `
variable "TARGETARCH" { default = "amd64,arm64" }
variable "SERVICES" { default = "api,web" }
variable "REGISTRY" { default = "registry.acme.io" }
variable "VERSIONS" { default = ["1.4", "latest"] }
variable "DEBUG" { default = false }
group "default" { targets = ["svc", "tools"] }
target "svc" {
  matrix = { svc = split(",", SERVICES) }
  name = "svc-\${svc}"
  dockerfile = "services/\${svc}/Dockerfile"
  platforms = formatlist("linux/%s", split(",", "\${TARGETARCH}"))
  tags = [for v in VERSIONS : "\${REGISTRY}/\${svc}:\${v}"]
  args = { DEBUG = DEBUG ? "1" : null, SERVICES = join(" ", sort(split(",", SERVICES))), N = length(VERSIONS) * 2 }
  cache-from = formatlist("type=registry,ref=\${REGISTRY}/cache:%s", VERSIONS)
}
target "tools" {
  platforms = split(",", "linux/amd64,linux/arm64")
  tags = concat(["a"], [upper("b")], VERSIONS[*])
  labels = { for k, v in { one = 1, two = 2 } : "label.\${k}" => tostring_is_not_needed(v) if v > 1 }
}
function "tostring_is_not_needed" {
  params = [n]
  result = "n=\${n}"
}
`,
  });
  try {
    const r = await detectBuild({ repo: dir });
    assert.equal(r.targets.map((t) => t.name), ['svc-api', 'svc-web', 'tools']);
    const web = r.targets[1];
    assert.equal(web?.platforms, ['linux/amd64', 'linux/arm64']);
    assert.equal(web?.tags, ['registry.acme.io/web:1.4', 'registry.acme.io/web:latest']);
    assert.is(web?.dockerfile, 'services/web/Dockerfile');
    assert.equal(web?.args, { SERVICES: 'api web', N: '4' }, 'DEBUG is false: its arg is null and left out');
    assert.equal(web?.attributes['cache-from'], ['type=registry,ref=registry.acme.io/cache:1.4', 'type=registry,ref=registry.acme.io/cache:latest']);
    const tools = r.targets[2];
    assert.equal(tools?.platforms, ['linux/amd64', 'linux/arm64']);
    assert.equal(tools?.tags, ['a', 'B', '1.4', 'latest']);
    assert.equal(tools?.attributes['labels'], { 'label.two': 'n=2' });
    assert.equal((await detectBuild({ repo: dir, env: { DEBUG: 'true', TARGETARCH: 'riscv64' } })).targets[0]?.args['DEBUG'], '1');
    assert.equal((await detectBuild({ repo: dir, env: { TARGETARCH: 'riscv64' } })).targets[0]?.platforms, ['linux/riscv64']);
  } finally {
    remove(dir);
  }
});

test('a value that cannot be evaluated is an error naming the target and attribute, never an empty value reported as ok', async () => {
  const cases: [string, RegExp, RegExp][] = [
    ['target "a" {\n tags = formatlst("x/%s", ["1"])\n}', /bake target "a": "tags" could not be evaluated: unknown function "formatlst"/, /formatlist/],
    ['target "a" {\n tags = ["x/${NAME}"]\n}', /unknown variable "NAME"/, /docker buildx bake --print/],
    ['variable "TAG" { default = null }\ntarget "a" {\n tags = ["x:${TAG}"]\n}', /"tags" could not be evaluated: TAG is null, and a null value cannot be part of a string/, /./],
    ['target "a" {\n platforms = "linux/amd64"\n}', /"platforms" must be a list of strings/, /\["\.\.\.", "\.\.\."\]/],
    ['target "a" {\n platforms = join(",", ["linux/amd64"])\n}', /"platforms" must be a list of strings, received a string \("linux\/amd64"\)/, /split/],
    ['function "f" {\n params = [a]\n result = a\n}\ntarget "a" {\n tags = f(1, 2)\n}', /f\(\): takes 1 argument\(s\) \(a\), received 2/, /./],
    ['target "a" {\n args = { X = cidrhost("10.0.0.0/8", 2) }\n}', /cidrhost\(\): buildx has this function, but argots does not evaluate it/, /./],
  ];
  for (const [hcl, message, hint] of cases) {
    const dir = repo({ 'docker-bake.hcl': `group "default" { targets = ["a"] }\n${hcl}\n` });
    try {
      const e = await rejection(detectBuild({ repo: dir }), hcl);
      assert.match(e.message, message, hcl);
      assert.match(e.hint, hint, hcl);
      assert.ok(['RUN821', 'RUN827'].includes(e.code), `${hcl}: ${e.code}`);
    } finally {
      remove(dir);
    }
  }
  const dir = repo({ 'docker-bake.json': JSON.stringify({ target: { a: { tags: ['${upper(}'] } }, group: { default: { targets: ['a'] } } }) });
  try {
    const e = await rejection(detectBuild({ repo: dir }));
    assert.match(e.message, /bake target "a": "tags" could not be evaluated: /, e.message);
  } finally {
    remove(dir);
  }
});

test.run();
