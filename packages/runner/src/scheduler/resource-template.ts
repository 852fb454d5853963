/**
 * `resource` templates (docs/walk-through/kubernetes-resources.md; `workflow/executor/resource.go`): without
 * `--kube-context` the manifest is printed, not applied. With it, kubectl runs as Argo's executor runs it, in that
 * context: `kubectl <action> [--type <mergeStrategy> -p <manifest>] [flags…] -f <manifest> -o json` (`delete`
 * adds `--ignore-not-found` and prints `-o name`); then, when a `successCondition` or `failureCondition` is
 * given, `kubectl get <kind.version.group/name> -o json` every `RESOURCE_STATE_CHECK_INTERVAL` (default 5s, the
 * executor's variable) until a failure requirement matches (Failed) or every success requirement does
 * (Succeeded). The conditions are label-selector requirements over gjson paths of the object (`status.phase
 * == Succeeded`, `status.succeeded > 0`, `x in (a,b)`, `!x`, `x`), as Argo matches them (gjsonLabels with
 * `labels.Requirement.Matches`). Output parameters: `valueFrom.jsonPath` through `kubectl get -o
 * jsonpath=…`, `valueFrom.jqFilter` through `jq -rc` over `kubectl get -o json`.
 */
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gjsonGet, gjsonString } from '@argots/expr';
import type { RunNode } from '../model/node.js';
import type { Template } from '../model/workflow.js';
import { parseDuration } from './durations.js';
import { sleep } from './workflow-run.js';
import type { WorkflowRun } from './workflow-run.js';

type Op = '=' | '==' | '!=' | 'in' | 'notin' | 'exists' | '!' | '>' | '<';

export interface Requirement {
  readonly key: string;
  readonly op: Op;
  readonly values: readonly string[];
}

/** A selector as k8s.io/apimachinery/pkg/labels.Parse reads it (requirements joined by commas). */
export function parseSelector(text: string): Requirement[] {
  const out: Requirement[] = [];
  const parts: string[] = [];
  let depth = 0;
  let cur = '';
  for (const c of text) {
    if (c === '(') depth += 1;
    if (c === ')') depth -= 1;
    if (c === ',' && depth === 0) {
      parts.push(cur);
      cur = '';
    } else cur += c;
  }
  parts.push(cur);
  for (const raw of parts) {
    const p = raw.trim();
    if (p === '') continue;
    let m: RegExpExecArray | null;
    if ((m = /^!\s*([^\s!=<>()]+)$/.exec(p))) out.push({ key: m[1] as string, op: '!', values: [] });
    else if ((m = /^([^\s!=<>()]+)\s+(in|notin)\s*\(([^)]*)\)$/.exec(p))) out.push({ key: m[1] as string, op: m[2] as Op, values: (m[3] as string).split(',').map((v) => v.trim()).filter((v) => v !== '') });
    else if ((m = /^([^\s!=<>()]+)\s*(==|!=|=|>|<)\s*([^\s,()]*)$/.exec(p))) {
      const op = m[2] as Op;
      if ((op === '>' || op === '<') && !/^-?\d+$/.test(m[3] as string)) throw new Error(`condition "${p}": for '${op}', the value must be an integer`);
      out.push({ key: m[1] as string, op, values: [m[3] as string] });
    } else if ((m = /^([^\s!=<>()]+)$/.exec(p))) out.push({ key: m[1] as string, op: 'exists', values: [] });
    else throw new Error(`condition "${p}" is not a selector requirement (key == value, key != value, key in (a,b), key notin (a,b), key > n, key < n, key, !key)`);
  }
  return out;
}

/** labels.Requirement.Matches over the object's JSON (gjson paths as keys). */
export function matches(req: Requirement, obj: unknown): boolean {
  const found = gjsonGet(obj, req.key);
  const has = found.exists;
  const value = found.exists ? gjsonString(found.value) : '';
  switch (req.op) {
    case '=':
    case '==':
    case 'in':
      return has && req.values.includes(value);
    case '!=':
    case 'notin':
      return !has || !req.values.includes(value);
    case 'exists':
      return has;
    case '!':
      return !has;
    case '>':
    case '<': {
      if (!has || !/^-?\d+$/.test(value)) return false;
      const a = BigInt(value);
      const b = BigInt(req.values[0] ?? '0');
      return req.op === '>' ? a > b : a < b;
    }
  }
}

const show = (r: Requirement): string => (r.op === 'exists' ? r.key : r.op === '!' ? `!${r.key}` : r.op === 'in' || r.op === 'notin' ? `${r.key} ${r.op} (${r.values.join(',')})` : `${r.key}${r.op}${r.values[0] ?? ''}`);

interface Out {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

function exec(file: string, args: readonly string[], signal: AbortSignal, stdin?: string): Promise<Out> {
  return new Promise((resolve) => {
    const child = execFile(file, args, { signal, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error ? (typeof (error as { code?: unknown }).code === 'number' ? ((error as { code: number }).code) : 1) : 0;
      resolve({ code, stdout, stderr: stderr || (error && code === 1 && !stderr ? error.message : '') });
    });
    if (stdin !== undefined) child.stdin?.end(stdin);
  });
}

export async function executeResource(run: WorkflowRun, node: RunNode, tmpl: Template, signal: AbortSignal): Promise<void> {
  const r = tmpl.resource;
  if (!r) return;
  run.markStarted(node);
  const manifest = r.manifest ?? '';
  const file = join(run.nodeDir(node), 'manifest.yaml');
  writeFileSync(file, manifest);
  const logFile = join(run.logDir(), `${node.id}.log`);
  node.logFile = join('logs', `${node.id}.log`);
  const log = (text: string): void => {
    writeFileSync(logFile, text, { flag: 'a' });
    run.emit({ type: 'log', node: node.name, stream: 'stdout', text });
  };
  const context = run.options.kubeContext;
  if (context === undefined) {
    log(`kubectl ${r.action} -f - <<'EOF'\n${manifest.trimEnd()}\nEOF\n`);
    node.outputs = { parameters: [], artifacts: [] };
    run.setPhase(node, 'Succeeded', `resource ${r.action} printed, not applied (pass --kube-context to apply it)`);
    return;
  }
  const kubectl = (args: readonly string[]): Promise<Out> => exec('kubectl', ['--context', context, ...args], signal);
  const flags = r.flags ?? [];
  const args: string[] = [r.action];
  const deleting = r.action === 'delete';
  if (deleting) args.push('--ignore-not-found');
  if (r.action === 'patch') args.push('--type', r.mergeStrategy ?? 'strategic', '-p', manifest);
  args.push(...flags);
  if (manifest !== '' && !(r.action === 'patch' && flags.length > 0)) args.push('-f', file);
  args.push('-o', deleting ? 'name' : 'json');
  log(`$ kubectl --context ${context} ${args.map((a) => (a === manifest ? '<manifest>' : a)).join(' ')}\n`);
  const applied = await kubectl(args);
  log(`${applied.stdout}${applied.stderr}`);
  if (signal.aborted) return;
  if (applied.code !== 0) {
    run.setPhase(node, 'Failed', `kubectl ${r.action}: ${(applied.stderr || applied.stdout).trim()}`);
    return;
  }
  if (deleting) {
    node.outputs = { parameters: [], artifacts: [] };
    run.setPhase(node, 'Succeeded', applied.stdout.trim());
    return;
  }
  let obj: { kind?: string; apiVersion?: string; metadata?: { name?: string; namespace?: string } };
  try {
    obj = JSON.parse(applied.stdout) as typeof obj;
  } catch {
    run.setPhase(node, 'Error', `kubectl ${r.action} did not print the object as JSON`);
    return;
  }
  const [group, version] = (obj.apiVersion ?? '').includes('/') ? (obj.apiVersion as string).split('/') : ['', obj.apiVersion ?? ''];
  const name = `${obj.kind ?? ''}${group ? `.${version}.${group}` : ''}/${obj.metadata?.name ?? ''}`;
  const ns = obj.metadata?.namespace ? ['-n', obj.metadata.namespace] : [];
  let success: Requirement[];
  let failure: Requirement[];
  try {
    success = r.successCondition ? parseSelector(r.successCondition) : [];
    failure = r.failureCondition ? parseSelector(r.failureCondition) : [];
  } catch (error) {
    run.setPhase(node, 'Error', (error as Error).message);
    return;
  }
  if (success.length > 0 || failure.length > 0) {
    const interval = parseDuration(process.env['RESOURCE_STATE_CHECK_INTERVAL'] ?? '5s', 'RESOURCE_STATE_CHECK_INTERVAL');
    for (;;) {
      const got = await kubectl(['get', name, ...ns, '-o', 'json']);
      if (signal.aborted) return;
      if (got.code !== 0) {
        run.setPhase(node, 'Failed', `kubectl get ${name}: ${got.stderr.trim()}`);
        return;
      }
      let current: unknown;
      try {
        current = JSON.parse(got.stdout);
      } catch {
        run.setPhase(node, 'Error', `kubectl get ${name} did not print JSON`);
        return;
      }
      const failed = failure.find((q) => matches(q, current));
      if (failed) {
        log(`failure condition '${show(failed)}' evaluated true\n`);
        run.setPhase(node, 'Failed', `failure condition '${show(failed)}' matched ${name}`);
        return;
      }
      if (success.length > 0 && success.every((q) => matches(q, current))) {
        log(`${success.length}/${success.length} success conditions matched\n`);
        break;
      }
      await sleep(interval, signal);
      if (signal.aborted) return;
    }
  }
  const parameters: { name: string; value: string }[] = [];
  for (const p of tmpl.outputs?.parameters ?? []) {
    let out: Out | undefined;
    if (p.valueFrom?.jsonPath) out = await kubectl(['get', name, ...ns, '-o', `jsonpath=${p.valueFrom.jsonPath}`]);
    else if (p.valueFrom?.jqFilter) {
      const json = await kubectl(['get', name, ...ns, '-o', 'json']);
      out = json.code !== 0 ? json : await exec('jq', ['-rc', p.valueFrom.jqFilter], signal, json.stdout);
      if (out.code === 0) out = { ...out, stdout: out.stdout.replace(/\n$/, '') };
    } else continue;
    if (out.code !== 0) {
      run.setPhase(node, 'Error', `output parameter "${p.name}": ${out.stderr.trim()}`);
      return;
    }
    parameters.push({ name: p.name, value: out.stdout });
    if (p.globalName) run.setGlobalParameter(p.globalName, out.stdout);
  }
  node.outputs = { parameters, artifacts: [] };
  run.setPhase(node, 'Succeeded', name);
}
