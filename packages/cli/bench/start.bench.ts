// `pnpm bench start`: the CLI's start, as users run it — fresh `node dist/bin.js …` processes, each beside a
// bare `node -e 0` measured in the same rounds (one run of each contender per round, in a rotated order, so a
// busy moment of this shared machine hits them all alike). Medians of wall time and of CPU time (user+sys from
// /usr/bin/time), with the load average before and after:
// - `argots lint` over 217 files of the lint corpus (test/lint-corpus), `simulate` of one delivery (a real
//   GitHub push payload) against the repository's 8 compiled Sensors, `--version` and `help`;
// - `--version` against `node -e 0` once more in one hyperfine run (issue 16's form of that target).
// Targets: issue 15, the start of lint and simulate under 150 ms (it was 0.7 s); issue 16, `--version` ≤ 1.3×
// `node -e 0`. ARGOTS_BENCH_START_RUNS sets the rounds (default 15).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Contender, load, ms, rounds, table } from './_internal/process-timing.js';

const ROUNDS = Number(process.env['ARGOTS_BENCH_START_RUNS']) || 15;
const LINT_FILES = 217;
const cliRoot = new URL('..', import.meta.url).pathname.replace(/\/$/, '');
const repoRoot = join(cliRoot, '../..');
const work = mkdtempSync(join(tmpdir(), 'argots-start-bench-'));

function sh(cmd: string, args: readonly string[]): string {
  const r = spawnSync(cmd, args, { cwd: repoRoot, encoding: 'utf8', maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

function main(): void {
  for (const tool of ['hyperfine', '/usr/bin/time']) {
    if (spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0) throw new Error(`${tool} is not installed: run scripts/setup.sh`);
  }
  console.log('building @argots/cli and its dependencies …');
  sh('pnpm', ['--filter', '@argots/cli...', 'run', 'build']);
  const node = process.execPath;
  const cli = join(cliRoot, 'dist/bin.js');

  const corpus = join(repoRoot, 'test/lint-corpus');
  const lintFiles = [
    ...readdirSync(corpus).filter((f) => f.endsWith('.yaml')).map((f) => join(corpus, f)),
    ...readdirSync(join(corpus, 'argo')).filter((f) => f.endsWith('.yaml')).map((f) => join(corpus, 'argo', f)),
  ].sort().slice(0, LINT_FILES);
  if (lintFiles.length < LINT_FILES) throw new Error(`the lint corpus has ${lintFiles.length} files, the bench wants ${LINT_FILES}`);
  const sensors = readdirSync(join(repoRoot, 'manifests/sensor')).filter((f) => f.endsWith('.yaml'));
  const push = (JSON.parse(readFileSync(join(repoRoot, 'node_modules/@octokit/webhooks-examples/api.github.com/index.json'), 'utf8')) as { name: string; examples: unknown[] }[]).find((e) => e.name === 'push')!.examples[0];
  const event = join(work, 'push.json');
  writeFileSync(event, JSON.stringify(push));

  const contenders: Contender[] = [
    { label: 'node -e 0', command: [node, '-e', '0'] },
    { label: 'argots --version', command: [node, cli, '--version'], reference: 'issue 16: ≤ 1.3× node -e 0 (was 1.9×)' },
    { label: 'argots help', command: [node, cli, 'help'] },
    // The corpus is made of mistakes: lint exits 1 (errors printed), as intended.
    { label: `argots lint (${lintFiles.length} files)`, command: [node, cli, 'lint', ...lintFiles], ok: [1], reference: 'issue 15: start < 150 ms (was 0.7 s)' },
    {
      label: `argots simulate (1 delivery, ${sensors.length} Sensors)`,
      command: [node, cli, 'simulate', '--event', event, '--type', 'push', 'manifests/sensor', 'manifests/event-source'],
      reference: 'issue 15: start < 150 ms (was 0.7 s)',
    },
  ];
  const before = load();
  console.log(`running ${contenders.length} contenders × ${ROUNDS} rounds, alternating, one warm-up each (load average now ${before}) …`);
  const results = rounds(contenders, ROUNDS, repoRoot);
  const base = results[0]!;
  table(`the CLI's start; medians of ${ROUNDS} alternating rounds, fresh processes; load average ${before} before, ${load()} after (on ${availableParallelism()} cores)`, results, base);

  const hfJson = join(work, 'hyperfine.json');
  sh('hyperfine', ['-N', '--style', 'none', '--warmup', '3', '--runs', String(ROUNDS * 2), '--export-json', hfJson, `${node} -e 0`, `${node} ${cli} --version`]);
  const hf = (JSON.parse(readFileSync(hfJson, 'utf8')) as { results: { median: number; user: number; system: number }[] }).results;
  const ratio = hf[1]!.median / hf[0]!.median;
  console.log(
    `\nhyperfine, one run of both (load average ${load()}): node -e 0 ${ms(hf[0]!.median * 1000)} (CPU ${ms((hf[0]!.user + hf[0]!.system) * 1000)} mean), argots --version ${ms(hf[1]!.median * 1000)} (CPU ${ms((hf[1]!.user + hf[1]!.system) * 1000)} mean): ${ratio.toFixed(2)}× — target ≤ 1.3×: ${ratio <= 1.3 ? 'met' : 'MISSED'}`,
  );
  const over = (label: string): string => {
    const r = results.find((x) => x.label.startsWith(label))!;
    return `${ms(r.wallMs)} wall, ${ms(r.cpuMs)} CPU (node -e 0: ${ms(base.wallMs)}, ${ms(base.cpuMs)} CPU): ${r.wallMs < 150 ? 'met' : 'MISSED'} (< 150 ms)`;
  };
  console.log(`lint of ${lintFiles.length} files, whole process: ${over('argots lint')}`);
  console.log(`simulate, whole process:            ${over('argots simulate')}`);
}

try {
  main();
} finally {
  rmSync(work, { recursive: true, force: true });
}
