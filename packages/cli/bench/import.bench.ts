// `pnpm bench import`: the whole corpus of test/import-corpus (upstream Argo Workflows and Argo Events examples)
// imported in one process as a user runs it (a fresh `node dist/bin.js import <corpus> --out DIR --force`:
// start, read the YAML, lint it, generate each module with ts-morph, prove it in process against its original,
// format and write it), timed with hyperfine, with peak memory and CPU time from /usr/bin/time -v.
// Target: ≤ 20 ms per document, whole process included.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import { readYamlAsGo } from '@argots/dsl';

const RUNS = Number(process.env['ARGOTS_BENCH_RUNS']) || 5;
const TARGET_MS_PER_DOCUMENT = 20;
const kinds = new Set(['Workflow', 'WorkflowTemplate', 'ClusterWorkflowTemplate', 'CronWorkflow', 'Sensor', 'EventSource']);

const cliRoot = new URL('..', import.meta.url).pathname.replace(/\/$/, '');
const repoRoot = join(cliRoot, '../..');
const corpus = join(repoRoot, 'test/import-corpus');
mkdirSync(join(cliRoot, '.tmp'), { recursive: true });
const work = mkdtempSync(join(cliRoot, '.tmp', 'bench-import-'));

function sh(cmd: string, args: readonly string[]): string {
  const r = spawnSync(cmd, args, { cwd: repoRoot, encoding: 'utf8', maxBuffer: 1 << 28 });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

function listYaml(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? listYaml(join(dir, e.name)) : /\.ya?ml$/.test(e.name) ? [join(dir, e.name)] : []));
}

const quote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

function main(): void {
  for (const tool of ['hyperfine', '/usr/bin/time']) {
    if (spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0) throw new Error(`${tool} is not installed: run scripts/setup.sh`);
  }
  console.log('building @argots/cli and its dependencies (tsc) …');
  sh('pnpm', ['--filter', '@argots/cli...', 'run', 'build']);
  const files = listYaml(corpus);
  const documents = files.reduce((n, f) => n + readYamlAsGo(readFileSync(f, 'utf8')).documents.filter((d) => kinds.has(String((d.doc.toJS() as { kind?: unknown } | null)?.kind))).length, 0);
  const out = join(work, 'ts');
  // Exit status 1 is expected: the corpus keeps documents that fail lint on purpose (they are still imported).
  const command = ['sh', '-c', `${quote(process.execPath)} ${quote(join(cliRoot, 'dist/bin.js'))} import ${quote(corpus)} --out ${quote(out)} --force > /dev/null 2>&1; test $? -le 1`];
  const loadBefore = loadavg().map((l) => l.toFixed(1)).join(' ');
  const json = join(work, 'hyperfine.json');
  sh('hyperfine', ['--style', 'none', '--warmup', '1', '--runs', String(RUNS), '--export-json', json, command.map(quote).join(' ')]);
  const result = (JSON.parse(readFileSync(json, 'utf8')) as { results: { mean: number; stddev: number }[] }).results[0]!;
  const time = spawnSync('/usr/bin/time', ['-v', process.execPath, join(cliRoot, 'dist/bin.js'), 'import', corpus, '--out', out, '--force'], { cwd: repoRoot, encoding: 'utf8', maxBuffer: 1 << 28 });
  if (time.status !== 0 && time.status !== 1) throw new Error(`argots import exited ${time.status}\n${time.stderr}`);
  const written = /(\d+) module\(s\) written/.exec(time.stdout)?.[1] ?? '?';
  const kb = Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(time.stderr)?.[1] ?? NaN);
  const seconds = (what: string): number => Number(new RegExp(`${what} time \\(seconds\\): ([\\d.]+)`).exec(time.stderr)?.[1] ?? NaN);
  const cpuMs = (seconds('User') + seconds('System')) * 1000;
  const wallMs = result.mean * 1000;
  const perDoc = wallMs / documents;
  console.log(`\nargots import over test/import-corpus: ${files.length} files, ${documents} documents, ${written} modules written; mean of ${RUNS} runs, each a fresh process`);
  console.log(`load average before the runs: ${loadBefore} (on ${availableParallelism()} cores)`);
  console.log(`  whole process    ${wallMs.toFixed(0)} ms ± ${((result.stddev ?? 0) * 1000).toFixed(0)} ms wall, ${cpuMs.toFixed(0)} ms CPU, peak ${(kb / 1024).toFixed(0)} MB`);
  console.log(`  per document     ${perDoc.toFixed(1)} ms wall (${(cpuMs / documents).toFixed(1)} ms CPU)   target ≤ ${TARGET_MS_PER_DOCUMENT} ms   ${perDoc <= TARGET_MS_PER_DOCUMENT ? 'met' : 'NOT met'}`);
  rmSync(work, { recursive: true, force: true });
  if (perDoc > TARGET_MS_PER_DOCUMENT) process.exitCode = 1;
}

main();
