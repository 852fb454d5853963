// How pipeline imports resolve for a new user's project: tsconfig `paths` aliases are followed (and bundled
// like relative imports), and a package that is not installed gets a hint about our CLI, not esbuild's.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { run } from '@argots/cli';
import { memoryIo } from './memory-io.js';
import { fixtureProject, removeFixtureProjects } from './fixture-project.js';

test.after(removeFixtureProjects);

const pipelineImporting = (specifier: string): string => [
  "import { container, pipeline } from '@argots/dsl';",
  `import { IMAGE } from '${specifier}';`,
  "const say = container('say', { container: { image: IMAGE, command: ['echo', 'hello'] } });",
  "export default pipeline('hello', (p) => { p.task('first', say.call({})); });",
  '',
].join('\n');

test('a tsconfig "paths" alias resolves to the project\'s TypeScript and is compiled', async () => {
  const dir = fixtureProject({
    'tsconfig.json': JSON.stringify({ compilerOptions: { baseUrl: '.', paths: { '@lib/*': ['lib/*'] } } }),
    'lib/images.ts': "export const IMAGE = 'registry.acme.io/say:1.0.0';\n",
    'pipelines/hello.ts': pipelineImporting('@lib/images'),
  });
  const io = memoryIo(dir);
  assert.is(await run(['compile', 'pipelines', '--out', 'manifests'], io), 0, io.err());
  assert.match(readFileSync(join(dir, 'manifests/workflow-template/hello.yaml'), 'utf8'), /image: registry\.acme\.io\/say:1\.0\.0/);
});

test('an alias is bundled like a relative import (one instance, no .ts handed to Node)', async () => {
  const dir = fixtureProject({
    'tsconfig.json': JSON.stringify({ compilerOptions: { baseUrl: '.', paths: { '@lib/*': ['lib/*'] } } }),
    'lib/images.ts': "export const IMAGES = { say: 'registry.acme.io/say:1.0.0' };\n",
    'pipelines/hello.ts': [
      "import { container, pipeline } from '@argots/dsl';",
      "import { IMAGES as viaAlias } from '@lib/images';",
      "import { IMAGES as viaPath } from '../lib/images.js';",
      "const image = viaAlias === viaPath ? 'alpine:3.20' : 'alpine:two-instances';",
      "const say = container('say', { container: { image, command: ['echo', 'hello'] } });",
      "export default pipeline('hello', (p) => { p.task('first', say.call({})); });",
      '',
    ].join('\n'),
  });
  const io = memoryIo(dir);
  assert.is(await run(['compile', 'pipelines', '--out', 'manifests'], io), 0, io.err());
  assert.match(readFileSync(join(dir, 'manifests/workflow-template/hello.yaml'), 'utf8'), /image: alpine:3\.20\n/);
});

test('an import of a package that is not installed: the hint is about installing it, not esbuild options', async () => {
  const dir = fixtureProject({ 'pipelines/hello.ts': pipelineImporting('@acme/not-installed') });
  const io = memoryIo(dir);
  assert.is(await run(['compile', 'pipelines', '--out', 'manifests'], io), 1);
  assert.match(io.err(), /@acme\/not-installed/);
  assert.not.match(io.err(), /mark the path|external/);
  assert.match(io.err(), /hint: install "@acme\/not-installed" in the pipelines' project/);
});

test.run();
