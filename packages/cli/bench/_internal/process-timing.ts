// Timing whole processes, as users run them, for the CLI's benches (`pnpm bench compile`, `pnpm bench start`):
// wall time around a fresh process, CPU (user+sys) and peak memory from /usr/bin/time, contenders run
// alternately in rounds (one run of each per round, in a rotated order, so that a busy moment of this shared
// machine hits them all alike), medians with the spread.
import { spawnSync } from 'node:child_process';
import { loadavg } from 'node:os';

export interface Contender {
  readonly label: string;
  readonly command: readonly string[];
  readonly cwd?: string;
  readonly env?: Readonly<Record<string, string>>;
  /** Run before each timed run (not timed): `rm -rf` of its output. */
  readonly prepare?: () => void;
  /** Exit codes that mean it ran as intended (default 0). */
  readonly ok?: readonly number[];
  /** What the figure is compared with (a target, an issue), printed beside it. */
  readonly reference?: string;
}

export interface Sample {
  readonly wallMs: number;
  readonly cpuMs: number;
  readonly peakMb: number;
}

export interface Result {
  readonly label: string;
  readonly reference?: string | undefined;
  readonly wallMs: number;
  readonly cpuMs: number;
  readonly peakMb: number;
  readonly minMs: number;
  readonly maxMs: number;
}

/** One fresh process of `c`, run in `c.cwd` (else `cwd`). Throws, with its output, when it exits otherwise than intended. */
export function runOnce(c: Contender, cwd: string): Sample {
  c.prepare?.();
  const t0 = process.hrtime.bigint();
  const r = spawnSync('/usr/bin/time', ['-f', 'ARGOTS-TIME %U %S %M', ...c.command], { cwd: c.cwd ?? cwd, encoding: 'utf8', maxBuffer: 1 << 28, env: { ...process.env, ...c.env } });
  const wallMs = Number(process.hrtime.bigint() - t0) / 1e6;
  if (!(c.ok ?? [0]).includes(r.status ?? -1)) throw new Error(`${c.label}: ${c.command.join(' ')} exited ${r.status}\n${r.stdout.slice(-2000)}\n${r.stderr.slice(-4000)}`);
  const m = /ARGOTS-TIME ([\d.]+) ([\d.]+) (\d+)/.exec(r.stderr);
  if (!m) throw new Error(`${c.label}: no timing from /usr/bin/time\n${r.stderr.slice(-2000)}`);
  return { wallMs, cpuMs: (Number(m[1]) + Number(m[2])) * 1000, peakMb: Number(m[3]) / 1024 };
}

export const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

/** `n` rounds; in each, every contender runs once, in a rotated order. One uncounted warm-up each unless `warmup` is false. */
export function rounds(contenders: readonly Contender[], n: number, cwd: string, warmup = true): Result[] {
  const samples = contenders.map(() => [] as Sample[]);
  if (warmup) for (const c of contenders) runOnce(c, cwd);
  for (let r = 0; r < n; r += 1) {
    for (let k = 0; k < contenders.length; k += 1) {
      const i = (k + r) % contenders.length;
      samples[i]!.push(runOnce(contenders[i]!, cwd));
    }
  }
  return contenders.map((c, i) => {
    const s = samples[i]!;
    return {
      label: c.label,
      reference: c.reference,
      wallMs: median(s.map((x) => x.wallMs)),
      cpuMs: median(s.map((x) => x.cpuMs)),
      peakMb: Math.max(...s.map((x) => x.peakMb)),
      minMs: Math.min(...s.map((x) => x.wallMs)),
      maxMs: Math.max(...s.map((x) => x.wallMs)),
    };
  });
}

export const load = (): string => loadavg().map((l) => l.toFixed(1)).join(' ');
export const pad = (s: string, n: number): string => s.padEnd(n);
export const ms = (x: number): string => (x >= 1000 ? `${(x / 1000).toFixed(2)} s` : `${x.toFixed(0)} ms`);

/** A table of results, each beside its ratio to `base` and its reference (`references[label]`, else the contender's own). */
export function table(title: string, results: readonly Result[], base: Result, references: Readonly<Record<string, string>> = {}): void {
  const width = Math.max(40, ...results.map((r) => r.label.length + 2));
  console.log(`\n${title}`);
  console.log(`${pad('', width)} ${pad('wall (median)', 15)} ${pad('min–max', 19)} ${pad('CPU (median)', 13)} ${pad('peak', 9)} ${pad(`÷ ${base.label}`, 24)} reference`);
  for (const r of results) {
    console.log(
      `${pad(r.label, width)} ${pad(ms(r.wallMs), 15)} ${pad(`${ms(r.minMs)}–${ms(r.maxMs)}`, 19)} ${pad(ms(r.cpuMs), 13)} ${pad(`${r.peakMb.toFixed(0)} MB`, 9)} ${pad(`${(r.wallMs / base.wallMs).toFixed(2)}× (CPU ${(r.cpuMs / base.cpuMs).toFixed(2)}×)`, 24)} ${references[r.label] ?? r.reference ?? ''}`,
    );
  }
}
