// examples/hello-dag.ts is the first pipeline a new user reads: what its build step really writes must be
// what its deploy step accepts, and deploy must not start when build was skipped. The build container's
// shell is run for real; the value the deploy task passes is resolved from it as Argo would.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { updateManifests } from '@argots/contract';
import { synth } from '@argots/dsl';
import hello from '../../examples/hello-dag.js';

type Obj = Record<string, unknown>;
const result = synth([{ value: hello, exportName: 'default', file: 'examples/hello-dag.ts' }]);
const spec = (result.files[0]?.object as { spec: { templates: Obj[] } }).spec;
const tasks = (spec.templates.find((t) => t['dag']) as { dag: { tasks: Obj[] } }).dag.tasks;
const task = (name: string): Obj => tasks.find((t) => t['name'] === name) as Obj;
const scratch = mkdtempSync(join(tmpdir(), 'argots-hello-dag-'));
test.after(() => rmSync(scratch, { recursive: true, force: true }));

test('the image deploy passes to update-manifests is the repo:tag@sha256:… its contract asks for', () => {
  const build = spec.templates.find((t) => t['name'] === task('build')['template']) as {
    container: { command: string[]; args: string[] };
    outputs: { parameters: { name: string; valueFrom: { path: string } }[] };
  };
  const sha = '4f7c2e1d9b8a7f6e5d4c3b2a1f0e9d8c7b6a5f4e';
  const outputs: Record<string, string> = {};
  for (const p of build.outputs.parameters) {
    const local = join(scratch, p.name);
    const command = build.container.command.map((c) => c.split(p.valueFrom.path).join(local));
    const args = build.container.args.map((a) => a.replace('{{inputs.parameters.tag}}', sha));
    const run = spawnSync(command[0]!, [...command.slice(1), ...args], { encoding: 'utf8' });
    assert.is(run.status, 0, run.stderr);
    outputs[p.name] = readFileSync(local, 'utf8').trim();
  }
  const deploy = task('deploy') as { arguments: { parameters: { name: string; value: string }[] } };
  const image = deploy.arguments.parameters.find((p) => p.name === 'image')?.value ?? '';
  const resolved = image
    .replace(/\{\{tasks\.build\.outputs\.parameters\.([\w-]+)\}\}/g, (_, name: string) => outputs[name] ?? `<no output ${name}>`)
    .replace('{{workflow.parameters.sha}}', sha);
  const pattern = updateManifests.inputs.image.pattern;
  assert.ok(pattern !== undefined);
  assert.match(resolved, new RegExp(`^(?:${pattern})$`), `deploy passes ${JSON.stringify(resolved)}`);
});

test('deploy waits for build to succeed (build has a `when`, and bare "build" also fires when it is skipped)', () => {
  assert.is(task('deploy')['depends'], 'build.Succeeded');
});

test.run();
