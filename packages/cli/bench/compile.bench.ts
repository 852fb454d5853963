// `pnpm bench compile`: 1,000 generated pipelines × 25 tasks, compiled end to end as a user would (a fresh
// `node dist/bin.js compile` process: start, load the TypeScript, synthesise, validate, write the files),
// next to (a) the same objects serialised with `yaml`'s stringify alone and (b) cdk8s synth of the same
// objects (ApiObjects in a cdk8s App, written to disk), each in a fresh process, timed with hyperfine and
// with peak memory from /usr/bin/time -v.
// Targets on a 2-core machine: < 1.5 s end to end, ≥ 4× faster than cdk8s, peak < 1 GB.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';

const PIPELINES = Number(process.env['ARGOTS_BENCH_PIPELINES']) || 1000;
const TASKS = 25;
const RUNS = Number(process.env['ARGOTS_BENCH_RUNS']) || 3;

const cliRoot = new URL('..', import.meta.url).pathname.replace(/\/$/, '');
const repoRoot = join(cliRoot, '../..');
// Inside the package (git-ignored .tmp/) so that the pipelines' `@argots/dsl` resolves like a user's would.
mkdirSync(join(cliRoot, '.tmp'), { recursive: true });
const work = mkdtempSync(join(cliRoot, '.tmp', 'bench-'));

function sh(cmd: string, args: readonly string[], cwd = repoRoot): string {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', maxBuffer: 1 << 28 });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

/** One generated pipeline: a DAG of 25 container tasks, each depending on up to two earlier ones. */
function pipelineSource(i: number): string {
  return pipelineModule(`bench-${String(i).padStart(4, '0')}`, TASKS);
}

/**
 * A pipeline module of `tasks` container tasks over five templates: each task reads the output of the one
 * before (a typed data edge), every third also depends on the one two back, every fifth has a `when`.
 */
export function pipelineModule(name: string, tasks: number): string {
  const lines = [
    "import { and, container, output, param, pipeline } from '@argots/dsl';",
    '',
  ];
  for (let k = 0; k < 5; k += 1) {
    lines.push(
      `const step${k} = container('step-${k}', {`,
      '  inputs: { n: param.string(), upstream: param.string() },',
      "  outputs: { digest: output.path('/tmp/out') },",
      `  container: (i) => ({ image: 'alpine:3.20', command: ['sh', '-c', 'echo "$0 $1" | sha256sum > /tmp/out'], args: [i.n, i.upstream], resources: { requests: { cpu: '${k + 1}00m', memory: '64Mi' } } }),`,
      '});',
    );
  }
  lines.push('', `export default pipeline('${name}', (p) => {`, "  const sha = p.param('sha', param.string({ description: 'The commit to build.' }));");
  for (let t = 0; t < tasks; t += 1) {
    const id = `t${String(t).padStart(2, '0')}`;
    const upstream = t === 0 ? 'sha' : `t${String(t - 1).padStart(2, '0')}.outputs.digest`;
    const options: string[] = [];
    if (t >= 2 && t % 3 === 0) options.push(`depends: and(t${String(t - 1).padStart(2, '0')}.succeeded, t${String(t - 2).padStart(2, '0')}.succeeded)`);
    if (t > 0 && t % 5 === 0) options.push(`when: t${String(t - 1).padStart(2, '0')}.outputs.digest.ne('skip')`);
    lines.push(`  const ${id} = p.task('${id}', step${t % 5}.call({ n: '${t}', upstream: ${upstream} })${options.length > 0 ? `, { ${options.join(', ')} }` : ''});`);
  }
  lines.push(`  void t${String(tasks - 1).padStart(2, '0')};`, '});', '');
  return lines.join('\n');
}

function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

interface Timing {
  readonly label: string;
  readonly meanMs: number;
  readonly stddevMs: number;
  readonly peakMb: number;
  /** User + system CPU time of one run: steadier than wall time on a shared machine. */
  readonly cpuMs: number;
}

/** Wall time (hyperfine: mean of RUNS runs after a warm-up) and peak resident memory (/usr/bin/time -v). */
function measure(label: string, command: readonly string[], prepare: string): Timing {
  const json = join(work, `${label.replace(/\W+/g, '-')}.json`);
  const line = command.map(shellQuote).join(' ');
  sh('hyperfine', ['--style', 'none', '--warmup', '1', '--runs', String(RUNS), '--prepare', prepare, '--export-json', json, line]);
  const result = (JSON.parse(readFileSync(json, 'utf8')) as { results: { mean: number; stddev: number }[] }).results[0]!;
  sh('sh', ['-c', prepare]);
  const time = spawnSync('/usr/bin/time', ['-v', ...command], { cwd: repoRoot, encoding: 'utf8', maxBuffer: 1 << 28 });
  if (time.status !== 0) throw new Error(`${line} exited ${time.status}\n${time.stderr}`);
  const kb = Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(time.stderr)?.[1] ?? NaN);
  const seconds = (what: string): number => Number(new RegExp(`${what} time \\(seconds\\): ([\\d.]+)`).exec(time.stderr)?.[1] ?? NaN);
  return { label, meanMs: result.mean * 1000, stddevMs: (result.stddev ?? 0) * 1000, peakMb: kb / 1024, cpuMs: (seconds('User') + seconds('System')) * 1000 };
}

function main(): void {
  for (const tool of ['hyperfine', '/usr/bin/time']) {
    if (spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0) throw new Error(`${tool} is not installed: run scripts/setup.sh`);
  }
  console.log(`building @argots/cli and its dependencies (tsc) …`);
  sh('pnpm', ['--filter', '@argots/cli...', 'run', 'build']);

  const src = join(work, 'pipelines');
  const out = join(work, 'manifests');
  mkdirSync(src, { recursive: true });
  for (let i = 0; i < PIPELINES; i += 1) writeFileSync(join(src, `p${String(i).padStart(4, '0')}.ts`), pipelineSource(i));
  console.log(`generated ${PIPELINES} pipelines × ${TASKS} tasks in ${src}`);

  const loadBefore = loadavg().map((l) => l.toFixed(1)).join(' ');
  const cpus = availableParallelism();
  const argots = measure('argots compile (end to end)', [process.execPath, join(cliRoot, 'dist/bin.js'), 'compile', src, '--out', out], `rm -rf ${shellQuote(out)}`);
  // The objects argots emitted (read back from its files) are the input of both references.
  const files = sh('find', [out, '-name', '*.yaml']).trim().split('\n').sort();
  const written = files.length;
  const objects = join(work, 'objects.json');
  writeFileSync(objects, JSON.stringify(files.map((f) => parse(readFileSync(f, 'utf8')) as unknown)));
  const refOut = join(work, 'reference');
  const yaml = measure('yaml stringify alone', [process.execPath, join(cliRoot, 'bench/_internal/yaml-stringify.mjs'), objects, refOut], `rm -rf ${shellQuote(refOut)}`);
  const cdk8s = measure('cdk8s synth', [process.execPath, join(cliRoot, 'bench/_internal/cdk8s-synth.mjs'), objects, refOut], `rm -rf ${shellQuote(refOut)}`);

  const rows = [argots, yaml, cdk8s];
  const pad = (s: string, n: number): string => s.padEnd(n);
  console.log(`\n${PIPELINES} pipelines × ${TASKS} tasks → ${written} YAML files; mean of ${RUNS} runs, each a fresh process`);
  console.log(`load average before the runs: ${loadBefore} (on ${cpus} cores; wall times grow with it, CPU times much less)`);
  console.log(`${pad('', 30)} ${pad('wall time', 20)} ${pad('CPU (user+sys)', 16)} ${pad('peak memory', 14)} wall vs argots`);
  for (const r of rows) {
    console.log(
      `${pad(r.label, 30)} ${pad(`${r.meanMs.toFixed(0)} ms ± ${r.stddevMs.toFixed(0)}`, 20)} ${pad(`${r.cpuMs.toFixed(0)} ms`, 16)} ${pad(`${r.peakMb.toFixed(0)} MB`, 14)} ${(r.meanMs / argots.meanMs).toFixed(2)}×`,
    );
  }
  // Where argots' time goes: the same phases run one after another in a fresh process, median of RUNS runs.
  const samples = Array.from({ length: RUNS }, () => JSON.parse(sh(process.execPath, [join(cliRoot, 'bench/_internal/compile-phases.mjs'), src, join(work, 'phases-out')], cliRoot)) as Record<string, number>);
  console.log(`\nwhere the time goes (phases timed one by one in a fresh process, median of ${RUNS}):`);
  for (const phase of Object.keys(samples[0] ?? {})) {
    const values = samples.map((x) => x[phase] ?? NaN).sort((a, b) => a - b);
    console.log(`  ${pad(phase, 44)} ${String(values[Math.floor(values.length / 2)]).padStart(5)} ms`);
  }
  const speedup = cdk8s.meanMs / argots.meanMs;
  const cpuSpeedup = cdk8s.cpuMs / argots.cpuMs;
  const verdict = (ok: boolean): string => (ok ? 'met' : 'MISSED');
  console.log('\ntargets:');
  console.log(`  end to end < 1500 ms          ${argots.meanMs.toFixed(0)} ms — ${verdict(argots.meanMs < 1500)}`);
  console.log(`  ≥ 4× faster than cdk8s synth  ${speedup.toFixed(2)}× wall, ${cpuSpeedup.toFixed(2)}× CPU — ${verdict(speedup >= 4)}`);
  console.log(`  peak memory < 1 GB            ${argots.peakMb.toFixed(0)} MB — ${verdict(argots.peakMb < 1024)}`);
}

try {
  main();
} finally {
  if (existsSync(work) && process.env['ARGOTS_BENCH_KEEP'] !== '1') rmSync(work, { recursive: true, force: true });
}
