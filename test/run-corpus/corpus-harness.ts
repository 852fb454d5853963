/**
 * The semantics corpus of `argots run`: every case under cases/ is a small workflow (YAML) preceded by a
 * `RunCorpusCase` document that says what Argo's controller does with it — the phase of the workflow and of
 * every node, the workflow's outputs, where it matters the order of starts — and cites where that comes from.
 * Each case runs to completion and prints its verdict. The same cases run on the host executor
 * (run-corpus.test.ts) and in the sandbox (run-corpus-sandbox.test.ts): their commands are busybox-compatible
 * `sh` lines that behave the same on the host and in a container; `alpine:3.20` in them stands for a small image
 * with a shell, which the sandbox run replaces with the test image it builds.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { RunInputError, readYamlObjects, runWorkflow, selectWorkflow } from '@argots/runner';
import type { Executor, RunNode, RunResult } from '@argots/runner';

interface CaseSpec {
  kind: 'RunCorpusCase';
  /** The Argo doc or controller code each expectation comes from. */
  cite: string | string[];
  parameters?: Record<string, string>;
  approvals?: Record<string, Record<string, string>>;
  configMaps?: Record<string, Record<string, string>>;
  secrets?: Record<string, Record<string, string>>;
  /** Object-store buckets as folders (`--artifact-buckets`): bucket → key → content. */
  buckets?: Record<string, Record<string, string>>;
  /** Bad input: the run must be refused before it starts, with this code and a message matching `message`. */
  refused?: { code: string; message: string };
  expect?: {
    phase: 'Succeeded' | 'Failed' | 'Error';
    /** Node name (the workflow's own name written `wf`) → phase; every node of the run must be listed. */
    nodes: Record<string, string>;
    outputs?: Record<string, string>;
    /** Node name → a regular expression its message matches. */
    messages?: Record<string, string>;
    /** Node name → expected outputs (parameters by name, `result`, `exitCode`). */
    nodeOutputs?: Record<string, Record<string, string>>;
    /** Each pair: the first node starts before the second. */
    before?: [string, string][];
    /** No two of these nodes ran at the same time. */
    serial?: string[];
    /** At least two of these nodes ran at the same time. */
    overlapping?: string[];
  };
}

function keysDir(root: string, data: Record<string, Record<string, string>> | undefined): Map<string, string> {
  const out = new Map<string, string>();
  for (const [name, keys] of Object.entries(data ?? {})) {
    const d = join(root, name);
    mkdirSync(d, { recursive: true });
    for (const [k, v] of Object.entries(keys)) writeFileSync(join(d, k), v);
    out.set(name, d);
  }
  return out;
}

function bucketsDir(root: string, buckets: Record<string, Record<string, string>>): string {
  for (const [bucket, objects] of Object.entries(buckets)) {
    for (const [key, content] of Object.entries(objects)) {
      mkdirSync(dirname(join(root, bucket, key)), { recursive: true });
      writeFileSync(join(root, bucket, key), content);
    }
  }
  return root;
}

function check(spec: NonNullable<CaseSpec['expect']>, result: RunResult): void {
  const rename = (n: string): string => (n.startsWith(result.name) ? `wf${n.slice(result.name.length)}` : n);
  const byName = new Map<string, RunNode>(result.nodes.map((n) => [rename(n.name), n]));
  const actual = Object.fromEntries([...byName].map(([k, n]) => [k, n.phase]));
  assert.equal(actual, spec.nodes, 'the phase of every node');
  assert.is(result.phase, spec.phase, `workflow phase (message: ${result.message})`);
  if (spec.outputs) assert.equal({ ...result.outputs.parameters }, spec.outputs, 'workflow outputs');
  for (const [name, re] of Object.entries(spec.messages ?? {})) {
    const n = byName.get(name);
    assert.ok(n && new RegExp(re).test(n.message), `message of ${name}: ${JSON.stringify(n?.message)} should match /${re}/`);
  }
  for (const [name, outs] of Object.entries(spec.nodeOutputs ?? {})) {
    const o = byName.get(name)?.outputs;
    const got: Record<string, string> = {};
    for (const k of Object.keys(outs)) {
      const v = k === 'result' ? o?.result : k === 'exitCode' ? o?.exitCode : o?.parameters.find((p) => p.name === k)?.value;
      if (v !== undefined) got[k] = v;
    }
    assert.equal(got, outs, `outputs of ${name}`);
  }
  const starts = result.starts.map(rename);
  for (const [a, b] of spec.before ?? []) {
    assert.ok(starts.indexOf(a) >= 0 && starts.indexOf(a) < starts.indexOf(b), `${a} starts before ${b} (starts: ${starts.join(', ')})`);
  }
  const interval = (name: string): [number, number] => {
    const n = byName.get(name);
    assert.ok(n, `node ${name} exists`);
    return [n.runningAt ?? n.startedAt, n.finishedAt ?? Date.now()];
  };
  const serial = (spec.serial ?? []).map(interval);
  for (let i = 0; i < serial.length; i += 1) {
    for (let j = i + 1; j < serial.length; j += 1) {
      const [a, b] = [serial[i] as [number, number], serial[j] as [number, number]];
      assert.ok(a[1] <= b[0] || b[1] <= a[0], `${spec.serial?.[i]} and ${spec.serial?.[j]} must not overlap`);
    }
  }
  if (spec.overlapping) {
    const ivs = spec.overlapping.map(interval);
    const some = ivs.some((a, i) => ivs.some((b, j) => i !== j && a[0] < b[1] && b[0] < a[1]));
    assert.ok(some, `some of ${spec.overlapping.join(', ')} ran at the same time`);
  }
}

export interface CorpusOptions {
  readonly name: string;
  /** The executor every case runs on (made once, after `before`; closed at the end). */
  readonly executor: () => Promise<Executor>;
  /** Replaces a case's images (the sandbox run's test image for `alpine:3.20`). */
  readonly image?: (image: string) => string;
  readonly before?: () => Promise<void>;
  readonly after?: () => Promise<void>;
}

function withImage(value: unknown, image: (i: string) => string): unknown {
  if (Array.isArray(value)) return value.map((v) => withImage(v, image));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, k === 'image' && typeof v === 'string' ? image(v) : withImage(v, image)]));
  }
  return value;
}

/** Every case of cases/ as one uvu suite on the executor given, with a verdict per case printed at the end. */
export function runCorpus(options_: CorpusOptions): void {
  const test = suite(`run corpus (${options_.name})`);
  const dir = join(new URL('.', import.meta.url).pathname, 'cases');
  // ARGOTS_RUN_CORPUS=127,130 runs only the cases whose file names contain one of those (while working on them).
  const only = (process.env['ARGOTS_RUN_CORPUS'] ?? '').split(',').filter(Boolean);
  const files = readdirSync(dir).filter((f) => f.endsWith('.yaml') && (only.length === 0 || only.some((o) => f.includes(o)))).sort();
  const work = mkdtempSync(join(tmpdir(), 'argots-run-corpus-'));
  const verdicts: string[] = [];

  let executor: Promise<Executor>;
  test.before(async () => {
    await options_.before?.();
    executor = options_.executor();
  });

  for (const file of files) {
    test(file, async () => {
      const docs = readYamlObjects(join(dir, file), file);
      const spec = docs.find((d) => (d as { kind?: string })?.kind === 'RunCorpusCase') as CaseSpec | undefined;
      assert.ok(spec, `${file} has a RunCorpusCase document`);
      assert.ok(spec.cite && spec.cite.length > 0, `${file} cites where its expectations come from`);
      const caseDir = join(work, file.replace(/\.yaml$/, ''));
      const objects = docs.filter((d) => d !== spec);
      const name = `wf-${Math.random().toString(36).slice(2, 7)}`;
      let verdict = 'ok';
      try {
        const wf = selectWorkflow(options_.image ? objects.map((o) => withImage(o, options_.image as (i: string) => string)) : objects);
        const approvals = new Map(Object.entries(spec.approvals ?? {}));
        const options = {
          executor: await executor,
          runDir: join(caseDir, 'run'),
          workflowName: name,
          parameters: spec.parameters ?? {},
          approvals,
          configMaps: keysDir(join(caseDir, 'configmaps'), spec.configMaps),
          secrets: keysDir(join(caseDir, 'secrets'), spec.secrets),
          ...(spec.buckets ? { artifactBuckets: bucketsDir(join(caseDir, 'buckets'), spec.buckets) } : {}),
          network: true,
        };
        if (spec.refused) {
          try {
            await runWorkflow(wf, options);
            assert.unreachable('the run should have been refused');
          } catch (error) {
            assert.instance(error, RunInputError);
            assert.is((error as RunInputError).code, spec.refused.code);
            assert.match((error as RunInputError).message, new RegExp(spec.refused.message));
          }
          return;
        }
        const result = await runWorkflow(wf, options);
        assert.ok(spec.expect, `${file} has expectations`);
        check(spec.expect, result);
      } catch (error) {
        verdict = `FAIL: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`;
        throw error;
      } finally {
        verdicts.push(`${verdict === 'ok' ? '✔' : '✖'} ${file}${verdict === 'ok' ? '' : ` — ${verdict}`}`);
        for (const f of readdirSync('/tmp').filter((f) => f.startsWith(name))) rmSync(join('/tmp', f), { recursive: true, force: true });
      }
    });
  }

  test.after(async () => {
    await (await executor).close();
    await options_.after?.();
    console.log(`\nrun corpus (${options_.name}): ${verdicts.filter((v) => v.startsWith('✔')).length}/${files.length} cases agree with Argo\n${verdicts.join('\n')}`);
    rmSync(work, { recursive: true, force: true });
  });
  test.run();
}
