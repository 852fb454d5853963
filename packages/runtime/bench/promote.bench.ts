/**
 * Promotion benchmark, side by side with `skopeo copy` of the same images between the same real registries:
 *   1. a 5 × 20 MB-layer image between two registries   (wall time, layer bytes moved, HTTP requests)
 *   2. a two-platform index between two registries
 *   3. a same-registry promotion                         (target: zero layer bytes)
 *   4. a re-promotion                                    (target: at most 3 HTTP requests)
 *   5. peak memory promoting a 1 GB layer (in a child process; target: under 150 MB RSS)
 * Targets: argots ≤ 1.0× skopeo's wall time across registries. Exits 1 when a target is missed.
 * Run: pnpm bench promote   (ARGOTS_BENCH_QUICK=1 shrinks the 1 GB layer to 200 MB)
 */
import { execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';
import { RegistryClient } from '../src/oci/registry-client.js';
import { promoteImage } from '../src/promote/promote-image.js';
import { startRegistry, type TestRegistry } from '../../../test/support/registry.js';
import { startFaultProxy } from '../../../test/support/fault-proxy.js';
import { pushImage, pushIndex } from '../../../test/support/oci-images.js';

const run = promisify(execFile);
const MB = 1024 * 1024;

interface Figures { ms: number; bytes: number; requests: number }

async function argots(src: string, srcRepo: string, ref: string, dst: string, dstRepo: string, tag: string): Promise<Figures & { layerBytes: number }> {
  const s = new RegistryClient({ registry: src, scheme: 'http' });
  const d = new RegistryClient({ registry: dst, scheme: 'http' });
  const t0 = performance.now();
  try {
    const r = await promoteImage({ source: { client: s, repository: srcRepo, reference: ref }, target: { client: d, repository: dstRepo, tag }, mutableTags: true });
    return { ms: performance.now() - t0, bytes: d.stats.bytesUploaded, requests: s.stats.requests + d.stats.requests, layerBytes: r.bytesCopied };
  } finally {
    s.close();
    d.close();
  }
}

async function skopeo(srcRef: string, dstRef: string, multiArch: boolean): Promise<number> {
  const t0 = performance.now();
  await run('skopeo', ['copy', '--quiet', '--src-tls-verify=false', '--dest-tls-verify=false', ...(multiArch ? ['--all'] : []), `docker://${srcRef}`, `docker://${dstRef}`]);
  return performance.now() - t0;
}

/** skopeo's requests and bytes, counted by pass-through proxies (untimed run). */
async function skopeoCounted(src: TestRegistry, srcPath: string, dst: TestRegistry, dstPath: string, multiArch: boolean): Promise<{ requests: number; bytes: number }> {
  // One proxy when both are the same registry, so skopeo sees one host (and may mount).
  const ps = await startFaultProxy(src.url);
  const pd = src === dst ? ps : await startFaultProxy(dst.url);
  try {
    await skopeo(`${ps.host}/${srcPath}`, `${pd.host}/${dstPath}`, multiArch);
    return { requests: ps.log.length + (pd === ps ? 0 : pd.log.length), bytes: pd.bytes.up };
  } finally {
    await Promise.all([ps.close(), pd === ps ? undefined : pd.close()]);
  }
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
const fmtMs = (ms: number): string => `${ms.toFixed(0).padStart(6)} ms`;
const fmtMb = (b: number): string => `${(b / MB).toFixed(1).padStart(7)} MB`;
let failures = 0;
function verdict(ok: boolean, text: string): void {
  if (!ok) failures++;
  console.log(`  ${ok ? '✔' : '✘'} ${text}`);
}

async function childPromote(): Promise<void> {
  // argv: --child src srcRepo tag dst dstRepo
  const [src, srcRepo, tag, dst, dstRepo] = process.argv.slice(3);
  const s = new RegistryClient({ registry: src ?? '', scheme: 'http' });
  const d = new RegistryClient({ registry: dst ?? '', scheme: 'http' });
  const t0 = performance.now();
  await promoteImage({ source: { client: s, repository: srcRepo ?? '', reference: tag ?? '' }, target: { client: d, repository: dstRepo ?? '', tag: tag ?? '' }, mutableTags: true });
  s.close();
  d.close();
  console.log(JSON.stringify({ maxRssKb: process.resourceUsage().maxRSS, ms: performance.now() - t0 }));
}

async function main(): Promise<void> {
  const [a, b] = await Promise.all([startRegistry({ name: 'bench-a' }), startRegistry({ name: 'bench-b' })]);
  try {
    console.log('pushing test images…');
    const five = await pushImage({ url: a.url }, 'bench/five', { layers: Array.from({ length: 5 }, (_, i) => ({ size: 20 * MB, seed: `five-${i}` })), tag: '1' });
    await pushIndex({ url: a.url }, 'bench/multi', {
      platforms: [
        { layers: [{ size: 20 * MB, seed: 'multi-amd64-0' }, { size: 10 * MB, seed: 'multi-amd64-1' }], platform: { os: 'linux', architecture: 'amd64' }, label: 'amd64' },
        { layers: [{ size: 20 * MB, seed: 'multi-arm64-0' }, { size: 10 * MB, seed: 'multi-arm64-1' }], platform: { os: 'linux', architecture: 'arm64' }, label: 'arm64' },
      ],
      tag: '1',
    });
    // Warm up both tools once (page cache, registry start-up).
    await argots(a.host, 'bench/five', '1', b.host, 'argots/bench/five-0', '1');
    await skopeo(`${a.host}/bench/five:1`, `${b.host}/warm/skopeo:1`, false);

    for (const [label, repo, multi] of [['5 × 20 MB layers, registry → registry', 'bench/five', false], ['two-platform index (2 × 30 MB per platform), registry → registry', 'bench/multi', true]] as const) {
      const ours: Figures[] = [];
      const theirs: number[] = [];
      for (let i = 0; i < 3; i++) {
        // A fresh target registry for each run and each tool: neither gets to reuse what an earlier run
        // pushed (skopeo's blob-info cache would otherwise mount from an earlier run's repository).
        const [tOurs, tTheirs] = await Promise.all([startRegistry({ name: 'bench-t1' }), startRegistry({ name: 'bench-t2' })]);
        try {
          ours.push(await argots(a.host, repo, '1', tOurs.host, repo, '1'));
          theirs.push(await skopeo(`${a.host}/${repo}:1`, `${tTheirs.host}/${repo}:1`, multi));
        } finally {
          await Promise.all([tOurs.close(), tTheirs.close()]);
        }
      }
      const counted = await skopeoCounted(a, `${repo}:1`, b, `skopeo-counted/${repo}:1`, multi);
      const ms = median(ours.map((f) => f.ms));
      const sk = median(theirs);
      console.log(`\n${label}`);
      console.log(`  argots  ${fmtMs(ms)}  ${fmtMb(ours[0]?.bytes ?? 0)} uploaded  ${String(ours[0]?.requests).padStart(4)} requests`);
      console.log(`  skopeo  ${fmtMs(sk)}  ${fmtMb(counted.bytes)} uploaded  ${String(counted.requests).padStart(4)} requests`);
      verdict(ms <= sk * 1.0, `argots/skopeo time ${(ms / sk).toFixed(2)}× (target ≤ 1.0×)`);
    }

    console.log('\nsame registry (bench/five → promoted/five on one host)');
    const same = await argots(a.host, 'bench/five', '1', a.host, 'promoted/five', '1');
    const skSame = await skopeoCounted(a, 'bench/five:1', a, 'skopeo-promoted/five:1', false);
    console.log(`  argots  ${fmtMs(same.ms)}  ${fmtMb(same.layerBytes)} layer bytes  ${same.requests} requests`);
    console.log(`  skopeo  ${fmtMb(skSame.bytes)} uploaded  ${skSame.requests} requests`);
    verdict(same.layerBytes === 0, `zero layer bytes moved (received ${same.layerBytes})`);

    console.log('\nre-promotion (bench/five → argots/bench/five-0, already there)');
    const again = await argots(a.host, 'bench/five', '1', b.host, 'argots/bench/five-0', '1');
    const skAgain = await skopeoCounted(a, 'bench/five:1', b, 'skopeo/bench/five-0:1', false);
    console.log(`  argots  ${fmtMs(again.ms)}  ${again.requests} requests`);
    console.log(`  skopeo  ${skAgain.requests} requests`);
    verdict(again.requests <= 3, `at most 3 HTTP requests (received ${again.requests})`);

    const size = process.env['ARGOTS_BENCH_QUICK'] ? 200 * MB : 1024 * MB;
    console.log(`\npeak memory promoting one ${size / MB} MB layer (child process)`);
    await pushImage({ url: a.url }, 'bench/huge', { layers: [{ size, seed: 'huge' }], tag: '1' });
    const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', new URL(import.meta.url).pathname, '--child', a.host, 'bench/huge', '1', b.host, 'argots/huge'], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    await new Promise((r) => child.on('close', r));
    const { maxRssKb, ms } = JSON.parse(out.trim().split('\n').pop() ?? '{}') as { maxRssKb: number; ms: number };
    const hugeSk = await skopeo(`${a.host}/bench/huge:1`, `${b.host}/skopeo/huge:1`, false);
    console.log(`  argots  ${fmtMs(ms)}  peak RSS ${(maxRssKb / 1024).toFixed(0)} MB   skopeo ${fmtMs(hugeSk)}`);
    verdict(maxRssKb / 1024 < 150, `peak memory under 150 MB (received ${(maxRssKb / 1024).toFixed(0)} MB)`);
  } finally {
    await Promise.all([a.close(), b.close()]);
  }
  console.log(failures ? `\n${failures} target(s) missed` : '\nall targets met');
  process.exitCode = failures ? 1 : 0;
}

if (process.argv[2] === '--child') await childPromote();
else await main();
