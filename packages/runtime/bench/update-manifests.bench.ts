/**
 * Updating 500 services' images in one commit (target: under 2 s), on a GitOps repository of 500 services
 * (base + dev/staging Kustomize overlays each). Two figures: the edit and commit in a checkout, and the whole
 * `updateManifests` (clone, edit, commit, push to a bare repository over file://).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { loadLayout } from '../src/manifests/layout.js';
import { setImagesInRepository } from '../src/manifests/set-image-in-repository.js';
import { updateManifests } from '../src/manifests/update-manifests.js';
import { runGit } from '../src/git/run-git.js';

const SERVICES = 500;
const TARGET_MS = 2000;
const REGISTRY = 'registry.dev.acme.io';

/** CPU time of this process and its waited-for children, ms (Linux /proc; USER_HZ 100). */
function cpuNow(): number {
  const fields = readFileSync('/proc/self/stat', 'utf8').replace(/^.*\) /, '').split(' ');
  return ([0, 1, 2, 3].map((i) => Number(fields[11 + i] ?? 0)).reduce((a, b) => a + b, 0) * 1000) / 100;
}

function write(root: string, path: string, text: string): void {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), text);
}

// Work on tmpfs when there is one: on a shared machine a busy disk (6 ms a file write was seen) would be
// measured instead of the code. ARGOTS_BENCH_TMP overrides. updateManifests clones under os.tmpdir().
const scratch = process.env['ARGOTS_BENCH_TMP'] ?? (existsSync('/dev/shm') ? '/dev/shm' : tmpdir());
process.env['TMPDIR'] = scratch;
const root = mkdtempSync(join(scratch, 'argots-bench-update-'));
try {
  const seed = join(root, 'seed');
  const names = Array.from({ length: SERVICES }, (_, i) => `svc-${String(i).padStart(3, '0')}`);
  write(seed, 'argots.yaml', `defaults:\n  path: apps/{service}/overlays/{env}\nenvironments: [dev, staging]\nservices:\n${names.map((n) => `  ${n}:\n    images: [shop/${n}]\n`).join('')}`);
  for (const n of names) {
    write(seed, `base/${n}/kustomization.yaml`, 'resources: [deployment.yaml]\n');
    write(seed, `base/${n}/deployment.yaml`, `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: ${n}}\nspec:\n  template:\n    spec:\n      containers:\n        - name: app\n          image: shop/${n}:latest\n`);
    for (const env of ['dev', 'staging']) {
      write(seed, `apps/${n}/overlays/${env}/kustomization.yaml`, `# ${n} in ${env}\nresources:\n  - ../../../../base/${n}\nimages:\n  - name: shop/${n}  # base name\n    newName: ${REGISTRY}/shop/${n}\n    newTag: "0.1.0"\n`);
    }
  }
  const g = (cwd: string, ...args: string[]): string => execFileSync('git', ['-c', 'user.email=b@example.com', '-c', 'user.name=b', ...args], { cwd, encoding: 'utf8' });
  g(seed, 'init', '--quiet', '--initial-branch=main');
  g(seed, 'add', '--all');
  g(seed, 'commit', '--quiet', '-m', 'seed');
  const bare = join(root, 'gitops.git');
  g(root, 'clone', '--quiet', '--bare', seed, bare);

  const updates = (round: number) =>
    names.map((n, i) => ({ service: n, env: 'dev', image: `${REGISTRY}/shop/${n}:1.${round}.${i}@sha256:${(round * 1000 + i).toString(16).padStart(64, '0')}` }));

  // 1. edit + commit in an existing checkout
  const editTimes: number[] = [];
  const editCpu0 = cpuNow();
  for (let round = 1; round <= 5; round++) {
    const t = performance.now();
    const layout = loadLayout(seed);
    const r = setImagesInRepository(seed, layout, updates(round));
    await runGit(['add', '--all'], { cwd: seed });
    await runGit(['commit', '--quiet', '-m', `deploy ${r.files.length} services`], { cwd: seed });
    editTimes.push(performance.now() - t);
    if (r.files.length !== SERVICES) throw new Error(`expected ${SERVICES} files changed, got ${r.files.length}`);
  }
  const editCpu = (cpuNow() - editCpu0) / 5;
  // 2. the whole updateManifests: clone, edit, commit, push
  const fullTimes: number[] = [];
  const fullCpu0 = cpuNow();
  let files = 0;
  for (let round = 11; round <= 15; round++) {
    const t = performance.now();
    const r = await updateManifests({ gitopsUrl: `file://${bare}`, updates: updates(round), sourceCommit: 'c0ffee0000000000000000000000000000000001' });
    fullTimes.push(performance.now() - t);
    files = r.files.length;
  }
  const fullCpu = (cpuNow() - fullCpu0) / 5;
  const med = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
  const commits = Number(execFileSync('git', ['rev-list', '--count', 'main'], { cwd: bare, encoding: 'utf8' }).trim());
  console.log(`${SERVICES} services × 2 environments; each round sets every service's dev image (${files} files in one commit); ${commits} commits on the bare repository`);
  console.log(`working directory: ${scratch}`);
  console.log(`machine load average: ${loadavg().map((l) => l.toFixed(1)).join(' ')} on ${cpus().length} CPUs`);
  console.log('');
  console.log('measure                                               wall (median)  CPU (mean)   target');
  const e = med(editTimes);
  const f = med(fullTimes);
  console.log(`set 500 images + commit (checkout present)            ${e.toFixed(0).padStart(7)} ms ${editCpu.toFixed(0).padStart(9)} ms   < ${TARGET_MS} ms ${e < TARGET_MS ? 'MET' : 'MISSED'}`);
  console.log(`updateManifests: clone + set 500 + commit + push      ${f.toFixed(0).padStart(7)} ms ${fullCpu.toFixed(0).padStart(9)} ms   < ${TARGET_MS} ms ${f < TARGET_MS ? 'MET' : 'MISSED'}`);
} finally {
  rmSync(root, { recursive: true, force: true });
}
