#!/usr/bin/env node
// Runs every uvu test file in its own Node process (TypeScript loaded from source through tsx), two at a
// time, then prints one closing line: "N passed, N failed".
// Usage: node scripts/run-tests.mjs [path-filter...]
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { availableParallelism, tmpdir } from 'node:os';

const root = new URL('..', import.meta.url).pathname;
const filters = process.argv.slice(2);
const roots = ['packages', 'test', 'examples', 'pipelines'];

function walk(dir, out) {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'dist' || name === 'fixtures' || name.startsWith('.')) continue;
    const full = join(dir, name);
    if (statSync(full).isDirectory()) walk(full, out);
    else if (/\.test\.ts$/.test(name)) out.push(relative(root, full));
  }
  return out;
}

const files = roots
  .flatMap((r) => { try { return walk(join(root, r), []); } catch { return []; } })
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
  .sort();

if (files.length === 0) {
  console.error(`no test files matched ${filters.join(' ') || '(all)'}`);
  process.exit(1);
}

// Longest files first (a pool finishes when its last file does: a 100 s file started last runs alone). The
// order is what the test run measures on a 2-core machine; anything not listed follows, alphabetically.
const SLOW_FIRST = ['test/pack/', 'test/deploy/runtime-image', 'test/e2e/', 'packages/runtime/test/manifests-update', 'packages/runtime/test/flows/', 'test/run-corpus/', 'packages/runtime/test/back-merge/', 'packages/runtime/test/git-push-with-retry', 'packages/runtime/test/detect-changes', 'test/cli/import'];
const rank = (f) => {
  const i = SLOW_FIRST.findIndex((prefix) => f.startsWith(prefix));
  return i < 0 ? SLOW_FIRST.length : i;
};
files.sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));

const concurrency = Math.max(1, Math.min(Number(process.env.ARGOTS_TEST_JOBS) || availableParallelism(), 4));
let passed = 0, failed = 0, crashed = [];
const MEASURE_CPU = process.env.ARGOTS_TEST_CPU === '1' && existsSync('/usr/bin/time');
const cpuDir = MEASURE_CPU ? mkdtempSync(join(tmpdir(), 'argots-test-cpu-')) : '';
let cpuTotal = 0;
const started = Date.now();

function runOne(file) {
  return new Promise((resolve) => {
    const t0 = Date.now();
    // ARGOTS_TEST_CPU=1: each file's CPU time (user + system of its whole process tree, from /usr/bin/time) is
    // printed beside its wall time: what the run costs on a machine with fewer cores than this one's jobs.
    const cpuFile = MEASURE_CPU ? join(cpuDir, `${files.indexOf(file)}.txt`) : undefined;
    const argv = ['--conditions=source', '--import', 'tsx', file];
    const child = spawn(cpuFile ? '/usr/bin/time' : process.execPath, cpuFile ? ['-f', '%U %S', '-o', cpuFile, process.execPath, ...argv] : argv, {
      cwd: root,
      env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    const limit = Number(process.env.ARGOTS_TEST_TIMEOUT_S) || 300;
    const timer = setTimeout(() => {
      out += `\n[run-tests] ${file} ran longer than ${limit}s and was stopped\n`;
      child.kill('SIGKILL');
    }, limit * 1000);
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('close', (code) => {
      clearTimeout(timer);
      const total = Number(/Total:\s+(\d+)/.exec(out)?.[1] ?? NaN);
      const ok = Number(/Passed:\s+(\d+)/.exec(out)?.[1] ?? NaN);
      let secs = ((Date.now() - t0) / 1000).toFixed(1);
      if (cpuFile) {
        const cpu = readFileSync(cpuFile, 'utf8').trim().split('\n').pop().split(' ').reduce((a, b) => a + Number(b), 0);
        cpuTotal += cpu;
        secs += `s, cpu ${cpu.toFixed(1)}`;
      }
      if (Number.isNaN(total) || Number.isNaN(ok)) {
        failed += 1;
        crashed.push(file);
        process.stdout.write(`✘ ${file} (${secs}s): did not finish its tests (exit ${code})\n${out}\n`);
      } else {
        passed += ok;
        failed += total - ok;
        const bad = total - ok > 0 || code !== 0;
        if (bad && total - ok === 0) { failed += 1; crashed.push(file); }
        process.stdout.write(`${bad ? '✘' : '✔'} ${file} (${secs}s): ${ok}/${total}\n`);
        if (bad) process.stdout.write(out + '\n');
      }
      resolve();
    });
  });
}

const queue = [...files];
await Promise.all(Array.from({ length: concurrency }, async () => {
  while (queue.length > 0) await runOne(queue.shift());
}));

const secs = ((Date.now() - started) / 1000).toFixed(1);
if (crashed.length) console.log(`\nfiles that failed outside a test: ${crashed.join(', ')}`);
if (MEASURE_CPU) rmSync(cpuDir, { recursive: true, force: true });
console.log(`\n${files.length} test files in ${secs}s${MEASURE_CPU ? ` (cpu ${cpuTotal.toFixed(0)}s)` : ''}`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
