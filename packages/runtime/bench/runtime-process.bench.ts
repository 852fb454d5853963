/**
 * The runtime as pods run it: each step a fresh `argots-runtime` process (the bundled binary, `dist/bin/bin.js`,
 * built first), timed with hyperfine next to its reference in the same run:
 *   1. start-up: `argots-runtime --version` vs `node -e 0`                         (target ≤ 1.3×)
 *   2. `detect-changes` over a 500-commit range vs `git diff --name-only` of it     (target ≤ 1.3×)
 *   3. `detect-changes` over a 1-commit range vs `node -e 0`                         (target ≤ 2×)
 *   4. `promote` (5 × 10 MB layers, registry → registry on 127.0.0.1) vs `skopeo copy` (target ≤ 1.0×)
 * The repository (20,000 files in 50 services, 500 commits of 5 changed files) is generated with
 * `git fast-import`; the registries are real `docker-registry` instances. Each promote and skopeo run copies
 * into a fresh target registry, so neither tool reuses an earlier run's blobs. Prints wall (mean) and CPU (user + system) with the load average.
 * Run: pnpm bench runtime-process   (ARGOTS_BENCH_NO_BUILD=1 uses the dist/ already built)
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { startRegistry } from '../../../test/support/registry.js';
import { pushImage } from '../../../test/support/oci-images.js';

const PACKAGE = join(import.meta.dirname, '..');
const BIN = join(PACKAGE, 'dist', 'bin', 'bin.js');
const FILES = 20_000;
const SERVICES = 50;
const COMMITS = 500;
const MB = 1024 * 1024;

interface Figure {
  readonly name: string;
  /** Mean wall time, ms. */
  readonly wall: number;
  /** Mean CPU time (user + system, children included), ms. */
  readonly cpu: number;
  readonly runs: number;
}

/** Runs hyperfine (no shell) over `commands`; one figure per command. */
function hyperfine(dir: string, commands: readonly { name: string; argv: readonly string[] }[], options: { runs: number; warmup: number }): Figure[] {
  const out = join(dir, `hyperfine-${Date.now()}.json`);
  const args = ['-N', '--style', 'none', '--runs', String(options.runs), '--warmup', String(options.warmup), '--export-json', out];
  for (const c of commands) args.push('--command-name', c.name);
  args.push('--', ...commands.map((c) => c.argv.join(' ')));
  execFileSync('hyperfine', args, { cwd: dir, stdio: ['ignore', 'ignore', 'inherit'] });
  const r = JSON.parse(readFileSync(out, 'utf8')) as { results: { command: string; times: number[]; user: number; system: number }[] };
  rmSync(out);
  return commands.map((c) => {
    const mine = r.results.filter((x) => x.command === c.name);
    const times = mine.flatMap((x) => x.times);
    if (times.length === 0) throw new Error(`hyperfine reported nothing for "${c.name}"`);
    const cpu = mine.reduce((sum, x) => sum + (x.user + x.system) * x.times.length, 0) / times.length;
    return { name: c.name, wall: (times.reduce((a, b) => a + b, 0) / times.length) * 1000, cpu: cpu * 1000, runs: times.length };
  });
}

function generate(dir: string): { first: string; last: string; previous: string } {
  execFileSync('git', ['init', '--quiet', '--initial-branch=main', dir]);
  const path = (i: number): string => {
    const svc = i % SERVICES;
    const n = Math.floor(i / SERVICES);
    if (n % 10 === 0) return `services/svc-${svc}/config/app-${n}.yaml`;
    if (n % 10 === 1) return `services/svc-${svc}/docs/page-${n}.md`;
    return `services/svc-${svc}/src/mod-${Math.floor(n / 50)}/file-${n}.ts`;
  };
  const chunks: string[] = [];
  let mark = 1;
  const commit = (files: [string, string][], message: string, i: number, first: boolean): void => {
    chunks.push(`commit refs/heads/main\nmark :${mark++}\ncommitter Bench <bench@example.com> ${1_700_000_000 + i} +0000\ndata ${Buffer.byteLength(message)}\n${message}\n`);
    if (first) chunks.push('deleteall\n');
    for (const [p, content] of files) chunks.push(`M 100644 inline ${p}\ndata ${Buffer.byteLength(content)}\n${content}\n`);
  };
  const rules = `services:\n${Array.from({ length: SERVICES }, (_, s) => `  svc-${s}: services/svc-${s}\n`).join('')}`;
  const initial: [string, string][] = [['.argots/changes.yaml', rules]];
  for (let i = 0; i < FILES - 1; i++) initial.push([path(i), `// ${i}\n`]);
  commit(initial, 'initial', 0, true);
  let seed = 7;
  const rand = (n: number): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
  for (let c = 1; c <= COMMITS; c++) {
    commit(Array.from({ length: 5 }, (_, k): [string, string] => [path(rand(FILES - 1)), `// changed in ${c}.${k}\n`]), `change ${c}`, c, false);
  }
  execFileSync('git', ['fast-import', '--quiet'], { cwd: dir, input: chunks.join(''), maxBuffer: 1 << 30 });
  execFileSync('git', ['reset', '--quiet', '--hard', 'main'], { cwd: dir });
  const rev = (r: string): string => execFileSync('git', ['rev-parse', r], { cwd: dir, encoding: 'utf8' }).trim();
  return { first: rev(`main~${COMMITS}`), last: rev('main'), previous: rev('main~1') };
}

let missed = 0;
function line(f: Figure, reference?: Figure, target?: number): void {
  const ratio = reference ? f.wall / reference.wall : undefined;
  const verdict = ratio !== undefined && target !== undefined ? `  ${ratio.toFixed(2)}× ${reference?.name} (target ≤ ${target}×) ${ratio <= target ? 'MET' : 'MISSED'}` : '';
  if (ratio !== undefined && target !== undefined && ratio > target) missed++;
  console.log(`  ${f.name.padEnd(44)} ${f.wall.toFixed(1).padStart(9)} ms ${f.cpu.toFixed(1).padStart(9)} ms${verdict}`);
}

const root = mkdtempSync(join(tmpdir(), 'argots-bench-process-'));
try {
  if (!process.env['ARGOTS_BENCH_NO_BUILD']) {
    console.log('building the runtime (pnpm --filter @argots/runtime... build)…');
    execFileSync('pnpm', ['--filter', '@argots/runtime...', 'run', 'build'], { cwd: PACKAGE, stdio: ['ignore', 'ignore', 'inherit'] });
  }
  const node = process.execPath;
  const out = join(root, 'out');

  // 1–3: start-up and detect-changes.
  const repo = join(root, 'repo');
  const { first, last, previous } = generate(repo);
  const changed = execFileSync('git', ['diff', '--name-only', first, last], { cwd: repo, encoding: 'utf8' }).trim().split('\n').length;
  console.log(`generated ${FILES.toLocaleString('en')} files, ${COMMITS} commits (${changed} files changed in the range)`);
  const detect = (before: string): string[] => [node, BIN, 'detect-changes', '--repo', repo, '--before', before, '--after', last, '--output-dir', out];
  const [bare, version, gitDiff, ours, gitDiff1, ours1] = hyperfine(repo, [
    { name: 'node -e 0', argv: [node, '-e', '0'] },
    { name: 'argots-runtime --version', argv: [node, BIN, '--version'] },
    { name: `git diff --name-only (${COMMITS} commits)`, argv: ['git', 'diff', '--name-only', first, last] },
    { name: `argots-runtime detect-changes (${COMMITS} commits)`, argv: detect(first) },
    { name: 'git diff --name-only (1 commit)', argv: ['git', 'diff', '--name-only', previous, last] },
    { name: 'argots-runtime detect-changes (1 commit)', argv: detect(previous) },
  ], { runs: 10, warmup: 2 }) as [Figure, Figure, Figure, Figure, Figure, Figure];

  // 4: promote vs skopeo copy, registry to registry. Each run of each tool copies into a fresh target registry
  // (a port never seen before): neither tool can mount blobs an earlier run pushed (skopeo's blob-info cache
  // remembers them by host and repository, even as root in /var/lib/containers).
  const dev = await startRegistry({ name: 'process-dev' });
  let promote: Figure;
  let skopeo: Figure;
  try {
    await pushImage({ url: dev.url }, 'bench/five', { layers: Array.from({ length: 5 }, (_, i) => ({ size: 10 * MB, seed: `process-${i}` })), tag: '1' });
    const envFile = (target: string): string => {
      const file = join(root, `env-${target.replace(/[^0-9]/g, '')}.yaml`);
      writeFileSync(file, [
        'environments:',
        `  dev: { registry: "${dev.host}", repository: bench, scheme: http, auth: { kind: anonymous } }`,
        `  staging: { registry: "${target}", repository: bench, scheme: http, mutableTags: true, auth: { kind: anonymous } }`,
        '',
      ].join('\n'));
      return file;
    };
    const RUNS = 4;
    const figures: Figure[][] = [];
    for (let run = 0; run <= RUNS; run++) {
      const [t1, t2] = await Promise.all([startRegistry({ name: 'process-t1' }), startRegistry({ name: 'process-t2' })]);
      try {
        const commands = [
          { name: 'argots-runtime promote', argv: [node, BIN, 'promote', '--image', `${dev.host}/bench/five:1`, '--from', 'dev', '--to', 'staging', '--environments', envFile(t1.host), '--output-dir', out] },
          { name: 'skopeo copy', argv: ['skopeo', 'copy', '--quiet', '--src-tls-verify=false', '--dest-tls-verify=false', `docker://${dev.host}/bench/five:1`, `docker://${t2.host}/bench/five:1`] },
        ];
        // The first turn warms both up (page cache, the source registry) and is not counted.
        const f = hyperfine(root, commands, { runs: 1, warmup: 0 });
        if (run > 0) figures.push(f);
      } finally {
        await Promise.all([t1.close(), t2.close()]);
      }
    }
    const pool = (k: number): Figure => {
      const all = figures.map((f) => f[k] as Figure);
      const runs = all.reduce((s, f) => s + f.runs, 0);
      return { name: all[0]?.name ?? '', wall: all.reduce((s, f) => s + f.wall * f.runs, 0) / runs, cpu: all.reduce((s, f) => s + f.cpu * f.runs, 0) / runs, runs };
    };
    promote = pool(0);
    skopeo = pool(1);
  } finally {
    await dev.close();
  }

  console.log(`\nmachine load average: ${loadavg().map((l) => l.toFixed(1)).join(' ')} on ${cpus().length} CPUs`);
  console.log(`  ${'process (hyperfine -N, fresh processes)'.padEnd(44)} ${'wall mean'.padStart(12)} ${'CPU mean'.padStart(12)}`);
  line(bare);
  line(version, bare, 1.3);
  line(gitDiff);
  line(ours, gitDiff, 1.3);
  line(gitDiff1);
  line(ours1, bare, 2);
  line(skopeo);
  line(promote, skopeo, 1.0);
  console.log(missed ? `\n${missed} target(s) missed` : '\nall targets met');
  process.exitCode = missed ? 1 : 0;
} finally {
  rmSync(root, { recursive: true, force: true });
}
