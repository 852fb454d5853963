/**
 * detect-changes on a generated repository of 50,000 files over a 1,000-commit range, next to
 * `git diff --name-only` of the same range (target: at most 1.3× its time).
 *
 * The repository is generated with `git fast-import` (50,000 files in 100 services; 1,000 commits each
 * changing 5 files — code, config and docs mixed). git diff is timed with hyperfine (process start
 * included); detect-changes is timed in process (the library function a step runs, which itself spawns
 * git: its process starts are included) and, for the record, end to end through the CLI under tsx.
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

function hyperfine(command: string[], cwd: string, runs = 20): Timing {
  const out = join(root, `hyperfine-${Date.now()}.json`);
  // -N: no shell; hyperfine splits the command on spaces (the arguments here have none).
  execFileSync('hyperfine', ['-N', '--warmup', '3', '--runs', String(runs), '--style', 'none', '--export-json', out, '--', command.join(' ')], { cwd, stdio: ['ignore', 'ignore', 'inherit'] });
  const r = JSON.parse(readFileSync(out, 'utf8')) as { results: { median: number; user: number; system: number }[] };
  rmSync(out); // the bench folder may be kept (ARGOTS_BENCH_DIR) and reused
  const first = r.results[0];
  return { wall: (first?.median ?? NaN) * 1000, cpu: ((first?.user ?? NaN) + (first?.system ?? NaN)) * 1000 };
}

/** CPU time of this process and its waited-for children, ms (Linux /proc). */
function cpuNow(): number {
  const fields = readFileSync('/proc/self/stat', 'utf8').replace(/^.*\) /, '').split(' ');
  const ticks = ['utime', 'stime', 'cutime', 'cstime'].map((_, i) => Number(fields[11 + i] ?? 0)).reduce((a, b) => a + b, 0);
  return (ticks * 1000) / 100; // USER_HZ is 100 on Linux
}

async function inProcess(run: () => Promise<unknown>, runs: number): Promise<Timing> {
  for (let i = 0; i < 3; i++) await run();
  const times: number[] = [];
  const c0 = cpuNow();
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await run();
    times.push(performance.now() - t);
  }
  const cpu = (cpuNow() - c0) / runs;
  times.sort((a, b) => a - b);
  return { wall: times[Math.floor(times.length / 2)] ?? NaN, cpu };
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
  const git = hyperfine(['git', 'diff', '--name-only', first, last], dir);
  let result: Awaited<ReturnType<typeof detectChanges>> | undefined;
  const ours = await inProcess(async () => (result = await detectChanges({ repo: dir, before: first, after: last })), 20);
  // End to end through the CLI (node + tsx start included; for the record, not the target).
  const cli = hyperfine([process.execPath, '--conditions=source', '--import', 'tsx', join(import.meta.dirname, '..', 'src', 'bin.ts'), 'detect-changes', '--repo', dir, '--before', first, '--after', last, '--output-dir', join(root, 'out')], join(import.meta.dirname, '..', '..', '..'), 5);
  const ratio = ours.wall / git.wall;
  const cpuRatio = ours.cpu / git.cpu;
  console.log(`result: kind=${result?.kind}, ${result?.codeFiles.length} code, ${result?.configFiles.length} config files, ${result?.services.filter((s) => s.kind !== 'none').length} services changed`);
  console.log(`machine load average: ${loadavg().map((l) => l.toFixed(1)).join(' ')} on ${cpus().length} CPUs`);
  console.log('');
  console.log('measure                                        wall (median)   CPU (mean)   target');
  console.log(`git diff --name-only (hyperfine -N)            ${git.wall.toFixed(1).padStart(9)} ms ${git.cpu.toFixed(1).padStart(9)} ms`);
  console.log(`detectChanges (in process, spawns git)         ${ours.wall.toFixed(1).padStart(9)} ms ${ours.cpu.toFixed(1).padStart(9)} ms   wall ${ratio.toFixed(2)}×, CPU ${cpuRatio.toFixed(2)}× (target ≤ ${TARGET}×) ${ratio <= TARGET ? 'MET' : 'MISSED'}`);
  console.log(`argots-runtime detect-changes (CLI, tsx)       ${cli.wall.toFixed(1).padStart(9)} ms ${cli.cpu.toFixed(1).padStart(9)} ms   ${(cli.wall / git.wall).toFixed(1)}× (node + tsx start included; no target)`);
} finally {
  if (!process.env['ARGOTS_BENCH_DIR']) rmSync(root, { recursive: true, force: true });
}
