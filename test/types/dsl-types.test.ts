// Type tests: misuse of the DSL must not compile. `pnpm typecheck` checks every `@ts-expect-error` below
// (an unused one is itself an error); running the file checks that the well-typed calls build.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { and, container, not, or, output, param, pipeline, steps, stepsTemplate, synth } from '@argots/dsl';

const build = container('build', {
  inputs: { tag: param.string(), replicas: param.number({ default: 1 }) },
  outputs: { digest: output.path('/tmp/digest'), kind: output.path('/tmp/kind', { enum: ['code', 'config'] }) },
  container: (i) => ({ image: 'alpine:3.20', args: [i.tag, i.replicas] }),
});
const check = container('check', { inputs: { flag: param.boolean() }, container: { image: 'alpine:3.20' } });
const count = container('count', { outputs: { n: output.path('/tmp/n') }, container: { image: 'alpine:3.20' } });

test('given a pipeline, when tasks pass declared outputs of the same pipeline, then it compiles and builds', () => {
  const p1 = pipeline('types-ok', (p) => {
    const tag = p.param('tag', param.string());
    const b = p.task('build', build.call({ tag }));
    const detect = p.task('detect', steps.detectChanges({ repo: '/src', before: tag, after: tag }));
    p.task('check', check.call({ flag: true }), {
      when: and(b.outputs.kind.eq('code'), detect.outputs.kind.ne('none'), not(detect.outputs.kind.eq('config'))),
      depends: or(b.succeeded, b.failed),
    });
    const pushed = p.task('update', steps.updateManifests({ gitopsUrl: 'https://g/x.git', service: 'api', env: 'dev', image: b.outputs.digest }));
    p.task('promote', steps.promote({ image: b.outputs.digest, from: 'dev', to: 'staging', referrers: pushed.outputs.changed }));
    p.task('copy', steps.copyConfig({ gitopsUrl: 'https://g/x.git', service: 'api', env: 'dev', repo: '/src', files: detect.outputs.configFiles }));
  });
  const r = synth([{ value: p1, exportName: 'default', file: 'types.ts' }]);
  assert.equal(r.diagnostics, []);
  assert.is(r.files.length, 1);
});

test('given misuse, then each line marked @ts-expect-error fails to type-check', () => {
  pipeline('types-bad', (p) => {
    const tag = p.param('tag', param.string());
    const b = p.task('build', build.call({ tag }));
    // an undeclared output
    // @ts-expect-error "digst" is not an output of build
    void b.outputs.digst;
    // an enum output compared with a value outside its enum
    // @ts-expect-error 'cod' is not 'code' | 'config'
    void b.outputs.kind.eq('cod');
    // a parameter of the wrong kind: a number where text is expected
    // @ts-expect-error tag takes text, not a number
    build.call({ tag: 42 });
    // a boolean input given a text value
    // @ts-expect-error flag takes a boolean value
    check.call({ flag: tag });
    // a required input left out
    // @ts-expect-error tag is required
    build.call({});
    // a template with required inputs used without arguments
    // @ts-expect-error build needs its inputs
    p.task('bare', build);
    // a `when` built from a non-boolean value
    // @ts-expect-error a text value is not a condition
    p.task('cond', check.call({ flag: true }), { when: tag });
    // numeric comparisons only on numbers
    // @ts-expect-error gt() needs a number value
    void tag.gt(3);
    // an undeclared runtime step input
    // @ts-expect-error promote has no input "target"
    steps.promote({ image: 'x', from: 'dev', to: 'staging', target: 'prod' });
    // a runtime step enum output outside its enum
    const d = p.task('detect', steps.detectChanges({ repo: '/src', before: tag, after: tag }));
    // @ts-expect-error 'cod' is not one of code | config | none
    void d.outputs.kind.eq('cod');
  });
});

test('given two pipelines, then a task of one cannot be used in the other', () => {
  pipeline('outer', (a) => {
    const built = a.task('build', build.call({ tag: 'x' }));
    const n = a.task('count', count);
    pipeline('inner', (b) => {
      // @ts-expect-error a value of another pipeline
      b.task('use', build.call({ tag: built.outputs.digest }));
      // @ts-expect-error a condition over another pipeline's task
      b.task('gate', check.call({ flag: true }), { when: n.outputs.n.eq('3') });
      // @ts-expect-error depends on another pipeline's task
      b.task('after', count, { depends: built.succeeded });
      // @ts-expect-error `after` another pipeline's task
      b.task('after2', count, { after: [built] });
    });
  });
});

test('given a steps template, then step outputs are typed the same way', () => {
  const t = stepsTemplate('flow', {}, (s) => {
    const c = s.step('count', count);
    s.step('gate', check.call({ flag: true }), { when: c.outputs.n.ne('0') });
    // @ts-expect-error "m" is not an output of count
    void c.outputs.m;
  });
  assert.is(t.name, 'flow');
});

test.run();
