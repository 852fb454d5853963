// YAML emission of 1,000 pipelines × 25 tasks: argots' emitter next to `yaml`'s stringify on the same
// objects, and the builders + emit step before it. Figures, not a pass/fail test.
import { performance } from 'node:perf_hooks';
import { stringify } from 'yaml';
import { container, output, param, pipeline, steps, synth, toYaml, generatedHeader } from '@argots/dsl';

const PIPELINES = 1000;
const TASKS = 25;

const work = container('work', {
  inputs: { index: param.string(), previous: param.string({ default: '' }) },
  outputs: { digest: output.path('/tmp/digest') },
  container: (i) => ({ image: 'alpine:3.20', command: ['sh', '-c', 'echo "$0 $1" > /tmp/digest'], args: [i.index, i.previous] }),
});

function build(n: number) {
  return pipeline(`bench-${n}`, (p) => {
    const sha = p.param('sha', param.string());
    const detect = p.task('detect', steps.detectChanges({ repo: '/src', before: sha, after: sha }));
    let prev = p.task('t0', work.call({ index: '0' }), { when: detect.outputs.kind.eq('code') });
    for (let t = 1; t < TASKS - 1; t++) prev = p.task(`t${t}`, work.call({ index: String(t), previous: prev.outputs.digest }));
  });
}

function time<T>(fn: () => T): { ms: number; value: T } {
  const t0 = performance.now();
  const value = fn();
  return { ms: performance.now() - t0, value };
}

const built = time(() => Array.from({ length: PIPELINES }, (_, n) => build(n)));
const inputs = built.value.map((value, n) => ({ value, exportName: 'default', file: `bench/${n}.ts` }));
const synthNoValidate = time(() => synth(inputs, { validate: false }));
const synthFull = time(() => synth(inputs));
const objects = synthNoValidate.value.files.map((f) => f.object);
const ours = time(() => objects.map((o) => toYaml(o, { header: generatedHeader('bench.ts') })));
const theirs = time(() => objects.map((o) => stringify(o)));
const bytes = ours.value.reduce((n, s) => n + s.length, 0);

const rows: [string, number][] = [
  ['builders (1,000 pipeline() calls)', built.ms],
  ['synth without validation (emit + YAML)', synthNoValidate.ms],
  ['synth with validation', synthFull.ms],
  ['argots toYaml', ours.ms],
  ["yaml's stringify (reference)", theirs.ms],
];
console.log(`${PIPELINES} pipelines × ${TASKS} tasks, ${(bytes / 1e6).toFixed(1)} MB of YAML`);
for (const [label, ms] of rows) console.log(`  ${label.padEnd(42)} ${ms.toFixed(0).padStart(7)} ms`);
console.log(`  toYaml is ${(theirs.ms / ours.ms).toFixed(1)}× faster than yaml's stringify`);
console.log(`  peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB; ${synthFull.value.diagnostics.length} diagnostics`);
