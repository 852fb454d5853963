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
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';

const ROUNDS = Number(process.env['ARGOTS_BENCH_START_RUNS']) || 15;
const LINT_FILES = 217;
const cliRoot = new URL('..', import.meta.url).pathname.replace(/\/$/, '');
const repoRoot = join(cliRoot, '../..');
const work = mkdtempSync(join(tmpdir(), 'argots-start-bench-'));

interface Contender {
  readonly label: string;
  readonly command: readonly string[];
  /** Exit codes that mean it ran as intended (default 0). */
  readonly ok?: readonly number[];
  readonly reference?: string;
}

interface Sample {
  readonly wallMs: number;
  readonly cpuMs: number;
  readonly peakMb: number;
}

function sh(cmd: string, args: readonly string[]): string {
  const r = spawnSync(cmd, args, { cwd: repoRoot, encoding: 'utf8', maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

function runOnce(c: Contender): Sample {
  const t0 = process.hrtime.bigint();
  const r = spawnSync('/usr/bin/time', ['-f', 'ARGOTS-TIME %U %S %M', ...c.command], { cwd: repoRoot, encoding: 'utf8', maxBuffer: 1 << 26 });
  const wallMs = Number(process.hrtime.bigint() - t0) / 1e6;
  if (!(c.ok ?? [0]).includes(r.status ?? -1)) throw new Error(`${c.label}: exited ${r.status}\n${r.stdout.slice(-2000)}\n${r.stderr.slice(-2000)}`);
  const m = /ARGOTS-TIME ([\d.]+) ([\d.]+) (\d+)/.exec(r.stderr);
  if (!m) throw new Error(`${c.label}: no timing from /usr/bin/time\n${r.stderr.slice(-2000)}`);
  return { wallMs, cpuMs: (Number(m[1]) + Number(m[2])) * 1000, peakMb: Number(m[3]) / 1024 };
}

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};
const load = (): string => loadavg().map((l) => l.toFixed(1)).join(' ');
const ms = (x: number): string => `${x.toFixed(0)} ms`;
const pad = (s: string, n: number): string => s.padEnd(n);

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
  for (const c of contenders) runOnce(c);
  const samples = contenders.map(() => [] as Sample[]);
  for (let r = 0; r < ROUNDS; r += 1) {
    for (let k = 0; k < contenders.length; k += 1) {
      const i = (k + r) % contenders.length;
      samples[i]!.push(runOnce(contenders[i]!));
    }
  }
  const results = contenders.map((c, i) => {
    const s = samples[i]!;
    return { c, wallMs: median(s.map((x) => x.wallMs)), cpuMs: median(s.map((x) => x.cpuMs)), minMs: Math.min(...s.map((x) => x.wallMs)), maxMs: Math.max(...s.map((x) => x.wallMs)), peakMb: Math.max(...s.map((x) => x.peakMb)) };
  });
  const base = results[0]!;
  console.log(`\nthe CLI's start; medians of ${ROUNDS} alternating rounds, fresh processes; load average ${before} before, ${load()} after (on ${availableParallelism()} cores)`);
  console.log(`${pad('', 40)} ${pad('wall (median)', 14)} ${pad('min–max', 16)} ${pad('CPU (median)', 13)} ${pad('peak', 8)} ${pad('÷ node -e 0', 22)} reference`);
  for (const r of results) {
    console.log(
      `${pad(r.c.label, 40)} ${pad(ms(r.wallMs), 14)} ${pad(`${ms(r.minMs)}–${ms(r.maxMs)}`, 16)} ${pad(ms(r.cpuMs), 13)} ${pad(`${r.peakMb.toFixed(0)} MB`, 8)} ${pad(`${(r.wallMs / base.wallMs).toFixed(2)}× (CPU ${(r.cpuMs / base.cpuMs).toFixed(2)}×)`, 22)} ${r.c.reference ?? ''}`,
    );
  }

  const hfJson = join(work, 'hyperfine.json');
  sh('hyperfine', ['-N', '--style', 'none', '--warmup', '3', '--runs', String(ROUNDS * 2), '--export-json', hfJson, `${node} -e 0`, `${node} ${cli} --version`]);
  const hf = (JSON.parse(readFileSync(hfJson, 'utf8')) as { results: { median: number; user: number; system: number }[] }).results;
  const ratio = hf[1]!.median / hf[0]!.median;
  console.log(
    `\nhyperfine, one run of both (load average ${load()}): node -e 0 ${ms(hf[0]!.median * 1000)} (CPU ${ms((hf[0]!.user + hf[0]!.system) * 1000)} mean), argots --version ${ms(hf[1]!.median * 1000)} (CPU ${ms((hf[1]!.user + hf[1]!.system) * 1000)} mean): ${ratio.toFixed(2)}× — target ≤ 1.3×: ${ratio <= 1.3 ? 'met' : 'MISSED'}`,
  );
  const over = (label: string): string => {
    const r = results.find((x) => x.c.label.startsWith(label))!;
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
