/**
 * detect-changes on a generated repository of 50,000 files over a 1,000-commit range, next to
 * `git diff --name-only` of the same range (target: at most 1.3× its time).
 *
 * The repository is generated with `git fast-import` (50,000 files in 100 services; 1,000 commits each
 * changing 5 files — code, config and docs mixed). git diff is timed with hyperfine (process start
 * included), in turns with detect-changes, which is timed in process (the library function a step runs,
 * which itself spawns git: its process starts are included) and, for the record, end to end through the CLI
 * under tsx.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { detectChanges } from '../src/detect/detect-changes.js';

const FILES = 50_000;
const COMMITS = 1_000;
const SERVICES = 100;
const TARGET = 1.3;
/** Turns of reference and detectChanges, and runs of each per turn. */
const ROUNDS = 8;
const RUNS_PER_ROUND = 5;

function path(i: number): string {
  const svc = i % SERVICES;
  const n = Math.floor(i / SERVICES);
  const kind = n % 10;
  if (kind === 0) return `services/svc-${svc}/config/app-${n}.yaml`;
  if (kind === 1) return `services/svc-${svc}/docs/page-${n}.md`;
  return `services/svc-${svc}/src/mod-${Math.floor(n / 50)}/file-${n}.ts`;
}

function generate(dir: string): { first: string; last: string } {
  execFileSync('git', ['init', '--quiet', '--initial-branch=main', dir]);
  const chunks: string[] = [];
  const rules = `services:\n${Array.from({ length: SERVICES }, (_, s) => `  svc-${s}: services/svc-${s}\n`).join('')}`;
  let mark = 1;
  const t0 = 1_700_000_000;
  const commit = (files: [string, string][], message: string, i: number, parent: boolean): void => {
    chunks.push(`commit refs/heads/main\nmark :${mark++}\ncommitter Bench <bench@example.com> ${t0 + i} +0000\ndata ${Buffer.byteLength(message)}\n${message}\n`);
    if (!parent) chunks.push('deleteall\n');
    for (const [p, content] of files) chunks.push(`M 100644 inline ${p}\ndata ${Buffer.byteLength(content)}\n${content}\n`);
  };
  const initial: [string, string][] = [['.argots/changes.yaml', rules]];
  for (let i = 0; i < FILES - 1; i++) initial.push([path(i), `// ${i}\n`]);
  commit(initial, 'initial', 0, false);
  let seed = 42;
  const rand = (n: number): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
  for (let c = 1; c <= COMMITS; c++) {
    const files: [string, string][] = [];
    for (let k = 0; k < 5; k++) files.push([path(rand(FILES - 1)), `// changed in ${c}.${k}\n`]);
    commit(files, `change ${c}`, c, true);
  }
  execFileSync('git', ['fast-import', '--quiet'], { cwd: dir, input: chunks.join(''), maxBuffer: 1 << 30 });
  execFileSync('git', ['reset', '--quiet', '--hard', 'main'], { cwd: dir });
  const first = execFileSync('git', ['rev-parse', `main~${COMMITS}`], { cwd: dir, encoding: 'utf8' }).trim();
  const last = execFileSync('git', ['rev-parse', 'main'], { cwd: dir, encoding: 'utf8' }).trim();
  return { first, last };
}

interface Timing {
  /** Median wall time, ms. */
  readonly wall: number;
  /** Mean CPU time (user + system, the process and its children), ms: steadier than wall time on a busy machine. */
  readonly cpu: number;
}

interface Samples {
  readonly walls: number[];
  cpu: number;
  runs: number;
}

const samples = (): Samples => ({ walls: [], cpu: 0, runs: 0 });

function summary(s: Samples): Timing {
  const walls = [...s.walls].sort((a, b) => a - b);
  return { wall: walls[Math.floor(walls.length / 2)] ?? NaN, cpu: s.cpu / s.runs };
}

/** Times a command with hyperfine (no shell), adding its runs to `into`. */
function hyperfine(command: string[], cwd: string, runs: number, warmup: number, into: Samples): void {
  const out = join(root, `hyperfine-${Date.now()}.json`);
  // -N: no shell; hyperfine splits the command on spaces (the arguments here have none).
  execFileSync('hyperfine', ['-N', '--warmup', String(warmup), '--runs', String(runs), '--style', 'none', '--export-json', out, '--', command.join(' ')], { cwd, stdio: ['ignore', 'ignore', 'inherit'] });
  const r = JSON.parse(readFileSync(out, 'utf8')) as { results: { times: number[]; user: number; system: number }[] };
  rmSync(out); // the bench folder may be kept (ARGOTS_BENCH_DIR) and reused
  const first = r.results[0];
  if (!first) throw new Error('hyperfine reported no result');
  into.walls.push(...first.times.map((t) => t * 1000));
  into.cpu += (first.user + first.system) * 1000 * first.times.length;
  into.runs += first.times.length;
}

/** CPU time of this process and its waited-for children, ms (Linux /proc). */
function cpuNow(): number {
  const fields = readFileSync('/proc/self/stat', 'utf8').replace(/^.*\) /, '').split(' ');
  const ticks = ['utime', 'stime', 'cutime', 'cstime'].map((_, i) => Number(fields[11 + i] ?? 0)).reduce((a, b) => a + b, 0);
  return (ticks * 1000) / 100; // USER_HZ is 100 on Linux
}

/** Times `run` in this process, adding its runs to `into`. */
async function inProcess(run: () => Promise<unknown>, runs: number, warmup: number, into: Samples): Promise<void> {
  for (let i = 0; i < warmup; i++) await run();
  const c0 = cpuNow();
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await run();
    into.walls.push(performance.now() - t);
  }
  into.cpu += cpuNow() - c0;
  into.runs += runs;
}

const root = process.env['ARGOTS_BENCH_DIR'] ?? mkdtempSync(join(tmpdir(), 'argots-bench-detect-'));
try {
  const dir = join(root, 'repo');
  const g0 = performance.now();
  const reuse = existsSync(join(dir, '.git'));
  const { first, last } = reuse
    ? {
        first: execFileSync('git', ['rev-parse', `main~${COMMITS}`], { cwd: dir, encoding: 'utf8' }).trim(),
        last: execFileSync('git', ['rev-parse', 'main'], { cwd: dir, encoding: 'utf8' }).trim(),
      }
    : generate(dir);
  const changed = execFileSync('git', ['diff', '--name-only', first, last], { cwd: dir, encoding: 'utf8' }).trim().split('\n').length;
  console.log(`${reuse ? 'reused' : 'generated'} ${FILES.toLocaleString('en')} files, ${COMMITS} commits (${changed} files changed in the range) in ${((performance.now() - g0) / 1000).toFixed(1)} s`);
  // The reference and detectChanges take turns, a few runs each, so that a machine getting busier or
  // quieter during the bench weighs on both alike.
  const gitRuns = samples();
  const ourRuns = samples();
  let result: Awaited<ReturnType<typeof detectChanges>> | undefined;
  const detect = async (): Promise<unknown> => (result = await detectChanges({ repo: dir, before: first, after: last }));
  for (let round = 0; round < ROUNDS; round++) {
    hyperfine(['git', 'diff', '--name-only', first, last], dir, RUNS_PER_ROUND, round === 0 ? 3 : 1, gitRuns);
    await inProcess(detect, RUNS_PER_ROUND, round === 0 ? 3 : 1, ourRuns);
  }
  const git = summary(gitRuns);
  const ours = summary(ourRuns);
  // End to end through the CLI (node + tsx start included; for the record, not the target).
  const cliRuns = samples();
  hyperfine([process.execPath, '--conditions=source', '--import', 'tsx', join(import.meta.dirname, '..', 'src', 'bin.ts'), 'detect-changes', '--repo', dir, '--before', first, '--after', last, '--output-dir', join(root, 'out')], join(import.meta.dirname, '..', '..', '..'), 5, 1, cliRuns);
  const cli = summary(cliRuns);
  const ratio = ours.wall / git.wall;
  const cpuRatio = ours.cpu / git.cpu;
  console.log(`result: kind=${result?.kind}, ${result?.codeFiles.length} code, ${result?.configFiles.length} config files, ${result?.services.filter((s) => s.kind !== 'none').length} services changed`);
  console.log(`machine load average: ${loadavg().map((l) => l.toFixed(1)).join(' ')} on ${cpus().length} CPUs`);
  console.log('');
  console.log(`${`measure (${ROUNDS} turns of ${RUNS_PER_ROUND} runs each)`.padEnd(47)}wall (median)   CPU (mean)   target`);
  console.log(`git diff --name-only (hyperfine -N)            ${git.wall.toFixed(1).padStart(9)} ms ${git.cpu.toFixed(1).padStart(9)} ms`);
  console.log(`detectChanges (in process, spawns git)         ${ours.wall.toFixed(1).padStart(9)} ms ${ours.cpu.toFixed(1).padStart(9)} ms   wall ${ratio.toFixed(2)}×, CPU ${cpuRatio.toFixed(2)}× (target ≤ ${TARGET}×) ${ratio <= TARGET ? 'MET' : 'MISSED'}`);
  console.log(`argots-runtime detect-changes (CLI, tsx)       ${cli.wall.toFixed(1).padStart(9)} ms ${cli.cpu.toFixed(1).padStart(9)} ms   ${(cli.wall / git.wall).toFixed(1)}× (node + tsx start included; no target)`);
} finally {
  if (!process.env['ARGOTS_BENCH_DIR']) rmSync(root, { recursive: true, force: true });
}
