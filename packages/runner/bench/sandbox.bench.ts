/**
 * Issue 11's "25-step pipeline in sandbox" target: the wall time of 25 steps run one after another through
 * the sandbox executor, next to the same commands run as plain processes on this machine (the same static
 * busybox binary, so only the sandbox differs). Target: sandbox ≤ 1.5 × plain.
 *
 * The executor is driven directly (one `run` per step, as the scheduler does); the image is pulled and unpacked
 * once before the timing (its cold cost is printed apart). Each kind is measured through the zygote (the
 * default: one namespace helper per run starts each step's bubblewrap, overlays mounted ahead) and, for
 * comparison, with each step making its namespaces from scratch (`noZygote`: setpriv, unshare, sh, mount, bwrap).
 * Two kinds of steps: no-op steps (echo: the figure is the sandbox's fixed cost per step) and small steps
 * (about 50 ms of work each) and half-second steps (closer to the shortest real CI step). Median of three
 * rounds (one for the half-second steps); the rounds alternate which side runs first.
 *
 * CPU time is printed beside wall time (the machine is shared, so wall time alone says little): for the plain
 * side, this process and the children it waited for (the steps); for the sandbox, that plus the zygote and
 * what it waited for (bwrap, mount, umount), read from /proc/<pid>/stat — but NOT the step itself: bwrap's init
 * (pid 1 of the step's pid namespace) is reaped by this machine's init, outside the tree, so its CPU and the
 * step's cannot be read. The sandbox figure is therefore the CPU of the machinery around a step; for no-op
 * steps the step's own share is about a millisecond. The kernel's deferred work (freeing a network
 * namespace) is in neither figure.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, chmodSync, mkdirSync, symlinkSync, readFileSync, readdirSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSandboxExecutor } from '../src/index.js';
import { startRegistry } from '../../../test/support/registry.js';
import { busyboxBinary, pushBusyboxImage } from '../../../test/support/test-images.js';

const STEPS = 25;
const TARGET = 1.5;

function plain(argv: readonly string[], env: Record<string, string>, cwd: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(argv[0] as string, argv.slice(1), { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.resume();
    child.stderr.resume();
    child.once('error', reject);
    child.once('close', (code) => resolve(code ?? 1));
  });
}

const median = (xs: readonly number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

/** utime + stime + cutime + cstime of a process, in ms (clock ticks of 10 ms). */
function cpuOf(pid: number | 'self'): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return [11, 12, 13, 14].reduce((sum, i) => sum + Number(fields[i]), 0) * 10;
  } catch {
    return 0;
  }
}

/** CPU used so far by this process, the children it waited for, and the sandbox zygotes it started (with theirs). */
function cpuNow(): number {
  let total = cpuOf('self');
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === process.pid && readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes('argots-sandbox-zygote')) total += cpuOf(Number(entry));
    } catch {
      /* gone */
    }
  }
  return total;
}

const load = (): string => loadavg().map((l) => l.toFixed(2)).join(' ');

const work = mkdtempSync(join(tmpdir(), 'argots-bench-sandbox-'));
const registry = await startRegistry({ name: 'bench-sandbox' });
try {
  const image = await pushBusyboxImage(registry, 'bench/busybox');
  const zygote = createSandboxExecutor({ cacheDir: join(work, 'cache') });
  const scratch = createSandboxExecutor({ cacheDir: join(work, 'cache'), noZygote: true });
  const never = new AbortController().signal;
  let t = performance.now();
  await zygote.prepare(image.reference, { signal: never });
  const cold = performance.now() - t;
  await scratch.prepare(image.reference, { signal: never });

  // The host side: the same busybox, its applets on a PATH of their own.
  const bin = join(work, 'host-bin');
  mkdirSync(bin);
  writeFileSync(join(bin, 'busybox'), busyboxBinary());
  chmodSync(join(bin, 'busybox'), 0o755);
  for (const applet of ['sh', 'echo', 'seq', 'sha256sum', 'wc']) symlinkSync('busybox', join(bin, applet));
  const hostEnv = { PATH: bin };

  const kinds = [
    { name: 'no-op steps (echo)', script: (i: number) => `echo step ${i}`, rounds: 3 },
    { name: 'small steps (seq 1 200000 | sha256sum)', script: (i: number) => `seq 1 ${200000 + i} | sha256sum`, rounds: 3 },
    { name: 'half-second steps (seq 1 2000000 | sha256sum)', script: (i: number) => `seq 1 ${2000000 + i} | sha256sum`, rounds: 1 },
  ];
  console.log(`sandbox executor, ${STEPS} steps in sequence; image pull + unpack (cold, once): ${cold.toFixed(0)} ms; load average ${load()}`);
  for (const [label, executor, kindsHere] of [['zygote', zygote, kinds], ['from scratch (noZygote)', scratch, kinds.slice(0, 2)]] as const) {
    console.log(` ${label}:`);
    for (const kind of kindsHere) {
      const sandboxRuns: number[] = [];
      const plainRuns: number[] = [];
      const sandboxCpu: number[] = [];
      const plainCpu: number[] = [];
      const runSandbox = async (): Promise<void> => {
        const c = cpuNow();
        const t0 = performance.now();
        for (let i = 0; i < STEPS; i++) {
          const r = await executor.run({ node: `step-${i}`, image: image.reference, command: ['sh', '-c', kind.script(i)], env: { PATH: '/bin' }, mounts: [], collect: [], network: false, signal: never, onOutput: () => undefined });
          if (r.exitCode !== 0) throw new Error(`sandbox step ${i} exited ${r.exitCode}`);
        }
        sandboxRuns.push(performance.now() - t0);
        sandboxCpu.push(cpuNow() - c);
      };
      const runPlain = async (): Promise<void> => {
        const c = cpuNow();
        const t0 = performance.now();
        for (let i = 0; i < STEPS; i++) {
          const code = await plain([join(bin, 'sh'), '-c', kind.script(i)], hostEnv, work);
          if (code !== 0) throw new Error(`plain step ${i} exited ${code}`);
        }
        plainRuns.push(performance.now() - t0);
        plainCpu.push(cpuNow() - c);
      };
      for (let round = 0; round < kind.rounds; round++) {
        if (round % 2 === 0) {
          await runSandbox();
          await runPlain();
        } else {
          await runPlain();
          await runSandbox();
        }
      }
      const s = median(sandboxRuns);
      const p = median(plainRuns);
      const ratio = s / p;
      const sc = median(sandboxCpu);
      const pc = median(plainCpu);
      console.log(`   ${kind.name}: sandbox ${s.toFixed(0)} ms (${(s / STEPS).toFixed(1)} ms/step), plain processes ${p.toFixed(0)} ms (${(p / STEPS).toFixed(1)} ms/step); ratio ${ratio.toFixed(2)}× (target ≤ ${TARGET}×) ${ratio <= TARGET ? 'met' : 'NOT met'}; overhead ${((s - p) / STEPS).toFixed(1)} ms/step; CPU: sandbox machinery ${(sc / STEPS).toFixed(1)} ms/step (the step itself not counted), plain ${(pc / STEPS).toFixed(1)} ms/step; load ${load()}`);
    }
  }
  await zygote.close();
  await scratch.close();
} finally {
  await registry.close();
  rmSync(work, { recursive: true, force: true });
}
