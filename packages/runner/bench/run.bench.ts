// `pnpm bench run`: the scheduling overhead of `argots run` per node, measured as users run it (a fresh
// `argots run dag.yaml --executor host` process, timed with hyperfine). A 1,000-node DAG of no-op host steps
// (20 layers of 50 tasks, each task depending on one task of the layer before, every tenth on two) is compared
// with (a) a 1-node workflow, for the fixed cost of starting the CLI, and (b) the same 1,000 `true` processes
// started directly from Node, layer by layer with the same concurrency, for the cost of the processes
// themselves. Overhead per node = (run − one-node run − direct processes) / 999; on a busy shared machine that
// difference is noisy, so the scheduler is also timed alone, in-process, with an executor that returns at once
// (every node still substituted, checked, recorded, reported and its dependents decided).
// Target: ≤ 2 ms per node on a 2-core machine.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { readYamlObjects, runWorkflow, selectWorkflow } from '@argots/runner';
import type { Executor } from '@argots/runner';

const LAYERS = 20;
const WIDTH = 50;
const RUNS = Number(process.env['ARGOTS_BENCH_RUNS']) || 3;
const repoRoot = new URL('../../..', import.meta.url).pathname.replace(/\/$/, '');
const work = mkdtempSync(join(tmpdir(), 'argots-run-bench-'));

function dagYaml(layers: number, width: number): string {
  const tasks: string[] = [];
  for (let l = 0; l < layers; l += 1) {
    for (let w = 0; w < width; w += 1) {
      const name = `t${l}-${w}`;
      const deps = l === 0 ? [] : [`t${l - 1}-${w}`, ...(w % 10 === 0 && width > 1 ? [`t${l - 1}-${(w + 1) % width}`] : [])];
      tasks.push(`      - {name: ${name}, template: noop${deps.length > 0 ? `, depends: "${deps.join(' && ')}"` : ''}}`);
    }
  }
  return `apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {name: bench}
spec:
  entrypoint: main
  templates:
  - name: main
    dag:
      tasks:
${tasks.join('\n')}
  - name: noop
    container: {image: alpine, command: ["true"]}
`;
}

writeFileSync(join(work, 'dag.yaml'), dagYaml(LAYERS, WIDTH));
writeFileSync(join(work, 'one.yaml'), dagYaml(1, 1));
writeFileSync(
  join(work, 'direct.mjs'),
  `import { spawn } from 'node:child_process';
const run = () => new Promise((r) => { const c = spawn('true', [], { stdio: ['ignore', 'pipe', 'pipe'], detached: true }); c.stdout.resume(); c.stderr.resume(); c.on('close', r); });
for (let l = 0; l < ${LAYERS}; l += 1) await Promise.all(Array.from({ length: ${WIDTH} }, run));
`,
);

const cli = `node --conditions=source --import ${join(repoRoot, 'node_modules/tsx/dist/esm/index.mjs')} ${join(repoRoot, 'packages/cli/src/bin.ts')}`;
const result = spawnSync(
  'hyperfine',
  ['--runs', String(RUNS), '--warmup', '1', '--export-json', join(work, 'times.json'), '--prepare', `rm -rf ${join(work, '.argots')}`,
    '-n', 'run', `${cli} run dag.yaml --executor host > /dev/null`,
    '-n', 'one', `${cli} run one.yaml --executor host > /dev/null`,
    '-n', 'direct', `node direct.mjs`],
  { cwd: work, encoding: 'utf8', stdio: ['ignore', 'inherit', 'inherit'] },
);
if (result.status !== 0) throw new Error('hyperfine failed');
const times = (JSON.parse(readFileSync(join(work, 'times.json'), 'utf8')) as { results: { command: string; mean: number }[] }).results;
const mean = (name: string): number => (times.find((t) => t.command === name)?.mean ?? Number.NaN) * 1000;
const nodes = LAYERS * WIDTH;
const instant: Executor = { name: 'host', prepare: async () => undefined, run: async () => ({ exitCode: 0 }), close: async () => undefined };
const inProcess: number[] = [];
for (let i = 0; i < 5; i += 1) {
  const started = performance.now();
  const r = await runWorkflow(selectWorkflow(readYamlObjects(join(work, 'dag.yaml'))), { executor: instant, runDir: join(work, `in-process-${i}`), onEvent: () => undefined });
  if (r.phase !== 'Succeeded' || r.nodes.length !== nodes + 1) throw new Error(`in-process run: ${r.phase}, ${r.nodes.length} nodes`);
  inProcess.push((performance.now() - started) / nodes);
}
const schedulerOnly = inProcess.sort((a, b) => a - b)[2] as number;
const perNode = (mean('run') - mean('one') - mean('direct')) / (nodes - 1);
console.log(`\nargots run, ${nodes}-node DAG of host no-op steps (${availableParallelism()} cores, load ${loadavg()[0]?.toFixed(2)}):`);
console.log(`  whole run            ${mean('run').toFixed(0)} ms`);
console.log(`  1-node run (startup) ${mean('one').toFixed(0)} ms`);
console.log(`  ${nodes} processes direct ${mean('direct').toFixed(0)} ms`);
console.log(`  overhead, whole processes  ${perNode.toFixed(2)} ms per node   (target ≤ 2 ms) ${perNode <= 2 ? '✔' : '✖'}  (noisy on a busy machine)`);
console.log(`  scheduler alone, in-process ${schedulerOnly.toFixed(2)} ms per node   (target ≤ 2 ms) ${schedulerOnly <= 2 ? '✔' : '✖'}  (median of 5)`);
rmSync(work, { recursive: true, force: true });
