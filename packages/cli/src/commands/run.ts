import { readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { createInterface } from 'node:readline/promises';
import type { Diagnostic, Sensor } from '@argots/dsl';
import type { ExecutorName, RunEvent, RunResult, Template } from '@argots/runner';
import type { Io } from '../io.js';
import { useColor } from '../io.js';
import type { Command } from '../_internal/command.js';
import { standardExitCodes } from '../_internal/command.js';
import { listFlag, stringFlag } from '../_internal/command-spec.js';
import type { ParsedArgs } from '../_internal/command-spec.js';
import { compileSources } from '../_internal/compile-sources.js';
import { findFiles, splitPipelineAndYamlPaths, yamlFiles } from '../_internal/find-files.js';
import { hasErrors, printDiagnostics } from '../_internal/report.js';
import { UserError } from '../_internal/user-error.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** `NAME=VALUE` pairs of a repeated flag. */
function pairs(args: ParsedArgs, flag: string, what: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const raw of listFlag(args, flag)) {
    const i = raw.indexOf('=');
    if (i <= 0) throw new UserError(`--${flag} "${raw}": expected ${what}`, `e.g. --${flag} ${what}`);
    out.set(raw.slice(0, i), raw.slice(i + 1));
  }
  return out;
}

/** `--approve NODE` or `--approve NODE:name=value,name=value` (values supplied to the suspend node's outputs). */
function approvals(args: ParsedArgs): Map<string, Record<string, string>> {
  const out = new Map<string, Record<string, string>>();
  for (const raw of listFlag(args, 'approve')) {
    const colon = raw.search(/:[^:]*=/);
    const node = colon < 0 ? raw : raw.slice(0, colon);
    const values: Record<string, string> = {};
    if (colon >= 0) {
      for (const kv of raw.slice(colon + 1).split(',')) {
        const i = kv.indexOf('=');
        if (i <= 0) throw new UserError(`--approve "${raw}": expected NODE or NODE:name=value,…`, 'e.g. --approve approve or --approve approve:color=blue');
        values[kv.slice(0, i)] = kv.slice(i + 1);
      }
    }
    out.set(node, values);
  }
  return out;
}

/** `--image-map FROM=TO`: both image references (FROM may leave out the tag to match every tag). */
function imageMap(args: ParsedArgs): Map<string, string> {
  const map = pairs(args, 'image-map', 'FROM=TO');
  for (const [from, to] of map) {
    if (to === '' || /\s/.test(from) || /\s/.test(to)) throw new UserError(`--image-map "${from}=${to}": expected FROM=TO, two image references`, 'e.g. --image-map registry.acme.io/platform/argots-runtime=127.0.0.1:5000/argots-runtime:dev');
  }
  return map;
}

function folders(args: ParsedArgs, flag: string, cwd: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const [name, dir] of pairs(args, flag, 'NAME=DIR')) {
    const full = resolve(cwd, dir);
    let ok = false;
    try {
      ok = statSync(full).isDirectory();
    } catch {
      ok = false;
    }
    if (!ok) throw new UserError(`--${flag} ${name}=${dir}: "${dir}" is not a folder`, `pass a folder with one file per key of the ${flag === 'secret' ? 'Secret' : 'ConfigMap'}`);
    out.set(name, full);
  }
  return out;
}

async function loadObjects(paths: readonly string[], io: Io): Promise<{ objects: Obj[]; diagnostics: readonly Diagnostic[] }> {
  const { readYamlObjects } = await import('@argots/runner');
  const { ts: tsPaths, yaml: yamlPaths } = splitPipelineAndYamlPaths(paths, io.cwd, {
    missing: 'pass pipeline files (.ts), Argo YAML files, or directories holding them',
    otherKind: 'pass pipeline files or Argo YAML files',
  });
  const objects: Obj[] = [];
  let diagnostics: readonly Diagnostic[] = [];
  if (tsPaths.length > 0) {
    const compiled = await compileSources(tsPaths, io.cwd);
    diagnostics = compiled.diagnostics;
    objects.push(...compiled.files.map((f) => f.object as Obj));
  }
  for (const file of yamlPaths.length > 0 ? findFiles(yamlPaths, io.cwd, yamlFiles) : []) {
    for (const o of readYamlObjects(file, relative(io.cwd, file))) if (isObj(o)) objects.push(o);
  }
  return { objects, diagnostics };
}

/** `--replace-template NAME=FILE`: FILE holds one template (or a WorkflowTemplate with a template NAME); inputs and outputs must match. */
async function replacements(args: ParsedArgs, io: Io, objects: readonly Obj[]): Promise<Map<string, Template>> {
  const { readYamlObjects } = await import('@argots/runner');
  const out = new Map<string, Template>();
  const originals = objects.flatMap((o) => {
    const spec = isObj(o['spec']) ? o['spec'] : {};
    const inner = isObj(spec['workflowSpec']) ? spec['workflowSpec'] : spec;
    return Array.isArray(inner['templates']) ? (inner['templates'] as Template[]) : [];
  });
  for (const [name, file] of pairs(args, 'replace-template', 'NAME=FILE')) {
    const docs = readYamlObjects(resolve(io.cwd, file), file).filter(isObj);
    let template: Template | undefined;
    for (const d of docs) {
      const spec = isObj(d['spec']) ? d['spec'] : undefined;
      if (spec && Array.isArray(spec['templates'])) {
        const ts = spec['templates'] as Template[];
        template ??= ts.find((t) => t.name === name) ?? (ts.length === 1 ? ts[0] : undefined);
      } else if (d['kind'] === undefined) template ??= d as Template;
    }
    if (!template) throw new UserError(`--replace-template ${name}=${file}: "${file}" holds no template (a template object, or a WorkflowTemplate with a template named "${name}")`, 'write the replacement as one Argo template in YAML');
    const original = originals.find((t) => t.name === name);
    if (!original) throw new UserError(`--replace-template ${name}=${file}: no template named "${name}" in the workflow`, `the templates are: ${[...new Set(originals.map((t) => t.name))].join(', ')}`);
    const names = (t: Template, k: 'inputs' | 'outputs'): string => [...(t[k]?.parameters ?? []).map((p) => `parameter ${p.name}`), ...(t[k]?.artifacts ?? []).map((a) => `artifact ${a.name}`)].sort().join(', ');
    for (const k of ['inputs', 'outputs'] as const) {
      if (names(original, k) !== names(template, k)) {
        throw new UserError(`--replace-template ${name}=${file}: the replacement's ${k} (${names(template, k) || 'none'}) differ from "${name}"'s (${names(original, k) || 'none'})`, 'a replacement takes the same inputs and gives the same outputs');
      }
    }
    out.set(name, { ...template, name });
  }
  return out;
}

/** The Workflows the Sensors would create for `--event`: each fired argoWorkflow trigger's resource. */
async function workflowsFromEvent(args: ParsedArgs, io: Io, objects: readonly Obj[]): Promise<Obj[]> {
  const event = stringFlag(args, 'event');
  const type = stringFlag(args, 'type');
  if (event === undefined) return [];
  if (type === undefined) throw new UserError('argots run: --event needs --type EVENT', "pass the delivery's X-GitHub-Event header, e.g. --type push");
  let body: unknown;
  try {
    body = JSON.parse(readFileSync(resolve(io.cwd, event), 'utf8')) as unknown;
  } catch (error) {
    throw new UserError(`--event "${event}" is not a readable JSON file: ${error instanceof Error ? error.message : String(error)}`, 'pass the JSON body of a webhook delivery, as GitHub sends it');
  }
  const sensors = objects.filter((o) => o['kind'] === 'Sensor');
  if (sensors.length === 0) throw new UserError('--event: the files hold no Sensor', 'pass the pipeline that declares the trigger, or its Sensor YAML');
  const { prepareSimulation, simulate } = await import('@argots/dsl');
  const delivery = { eventType: type, body };
  // jq transforms run as WebAssembly, which loads asynchronously: simulate gets their results beforehand.
  const options = await prepareSimulation(sensors as unknown as readonly Sensor[], [delivery]);
  const result = simulate(sensors as unknown as readonly Sensor[], delivery, options);
  const fired = result.sensors.flatMap((s) => s.triggers.filter((t) => t.status === 'fires' && isObj(t.resource) && t.resource['kind'] === 'Workflow').map((t) => t.resource as Obj));
  if (fired.length === 0) {
    const why = result.sensors.flatMap((s) => s.triggers.map((t) => `${s.sensor}/${t.name}: ${t.status}${t.reason ? ` (${t.reason})` : ''}`));
    throw new UserError(`--event: no Sensor trigger creates a Workflow for this ${type} delivery`, `${why.join('; ') || 'no triggers'} — run 'argots simulate' for the details`);
  }
  return fired;
}

/** sandbox when bubblewrap is installed (the issue's default); otherwise the first container backend that works. */
function defaultExecutor(io: Io): ExecutorName {
  const path = (io.env['PATH'] ?? '').split(':');
  return path.some((d) => {
    try {
      return statSync(join(d, 'bwrap')).isFile();
    } catch {
      return false;
    }
  })
    ? 'sandbox'
    : 'auto';
}

async function askOnTty(io: Io, node: { displayName: string }, supplied: readonly { name: string; enum?: readonly string[]; valueFrom?: { default?: string } }[]): Promise<Readonly<Record<string, string>> | 'reject'> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await rl.question(`\n⏸ "${node.displayName}" is suspended. Resume it? [y/N] `);
    if (!/^y(es)?$/i.test(answer.trim())) return 'reject';
    const values: Record<string, string> = {};
    for (const p of supplied) {
      const hint = p.enum ? ` (${p.enum.join('|')})` : '';
      const dflt = p.valueFrom?.default;
      const v = await rl.question(`  ${p.name}${hint}${dflt !== undefined ? ` [${dflt}]` : ''}: `);
      values[p.name] = v === '' && dflt !== undefined ? dflt : v;
    }
    void io;
    return values;
  } finally {
    rl.close();
  }
}

async function runOne(wfObjects: readonly Obj[], args: ParsedArgs, io: Io, replaced: Map<string, Template>): Promise<RunResult> {
  const runner = await import('@argots/runner');
  const pipeline = stringFlag(args, 'pipeline');
  const wf = runner.selectWorkflow(wfObjects, pipeline !== undefined ? { pipeline } : {});
  const executorName = (stringFlag(args, 'executor') as ExecutorName | undefined) ?? defaultExecutor(io);
  let executor: import('@argots/runner').Executor;
  try {
    executor = await runner.createExecutor(executorName, { env: io.env });
  } catch (error) {
    if (error instanceof runner.ExecutorError) throw new UserError(`${error.code} ${error.message}`, `${error.hint}${executorName === 'host' ? '' : '; or run with --executor host (each step a plain process of this machine, no container)'}`);
    throw error;
  }
  const runDir = join(io.cwd, '.argots', 'runs', wf.name);
  const abort = new AbortController();
  let interrupts = 0;
  const onSigint = (): void => {
    interrupts += 1;
    io.stderr.write(interrupts === 1 ? '\n■ interrupted: stopping every running step (Ctrl-C again to quit at once)\n' : '\n');
    if (interrupts > 1) process.exit(130);
    abort.abort();
  };
  process.on('SIGINT', onSigint);
  const json = args.json;
  const tty = !json && io.stdout.isTTY === true;
  const nodes: Map<string, import('@argots/runner').RunNode> = new Map();
  const tree = tty ? runner.treeReporter((t) => io.stdout.write(t), () => nodes.values(), { color: useColor(io, io.stdout), title: `workflow ${wf.name}` }) : undefined;
  const report = json ? runner.jsonReporter((t) => io.stdout.write(t)) : tty ? undefined : runner.plainReporter((t) => io.stdout.write(t));
  const onEvent = (e: RunEvent): void => {
    if (e.type === 'node') nodes.set(e.node.id, e.node);
    tree?.onEvent(e);
    report?.(e);
  };
  const started = Date.now();
  try {
    const result = await runner.runWorkflow(wf, {
      executor,
      runDir,
      parameters: Object.fromEntries(pairs(args, 'parameter', 'name=value')),
      approvals: approvals(args),
      secrets: folders(args, 'secret', io.cwd),
      configMaps: folders(args, 'configmap', io.cwd),
      replaceTemplates: replaced,
      env: Object.fromEntries(pairs(args, 'env', 'NAME=VALUE')),
      imageMap: imageMap(args),
      network: args.flags['network'] === true,
      signal: abort.signal,
      onEvent,
      ...(stringFlag(args, 'kube-context') !== undefined ? { kubeContext: stringFlag(args, 'kube-context') as string } : {}),
      ...(tty && process.stdin.isTTY ? { onSuspend: (node, supplied) => askOnTty(io, node, supplied) } : {}),
    });
    tree?.finish();
    runner.writeRunRecord(result);
    if (json) io.stdout.write(`${JSON.stringify({ type: 'result', name: result.name, phase: result.phase, message: result.message, outputs: result.outputs, runDir: relative(io.cwd, result.runDir) })}\n`);
    else io.stdout.write(`\n${runner.formatSummary(result, { cwd: io.cwd, startedAt: started })}`);
    return result;
  } finally {
    process.off('SIGINT', onSigint);
    await executor.close();
  }
}

async function run(args: ParsedArgs, io: Io): Promise<number> {
  const runner = await import('@argots/runner');
  try {
    const { objects, diagnostics } = await loadObjects(args.positionals, io);
    if (hasErrors(diagnostics)) {
      await printDiagnostics(io, diagnostics);
      return 1;
    }
    const replaced = await replacements(args, io, objects);
    const fromEvent = await workflowsFromEvent(args, io, objects);
    const templates = objects.filter((o) => o['kind'] === 'WorkflowTemplate' || o['kind'] === 'ClusterWorkflowTemplate');
    const runs = fromEvent.length > 0 ? fromEvent.map((wf) => [wf, ...templates]) : [objects];
    let ok = true;
    for (const wfObjects of runs) {
      const result = await runOne(wfObjects, args, io, replaced);
      ok &&= result.phase === 'Succeeded';
    }
    return ok ? 0 : 1;
  } catch (error) {
    if (error instanceof runner.RunInputError) throw new UserError(`${error.code} ${error.message}`, error.hint);
    throw error;
  }
}

/** `argots run <file.ts|file.yaml…>` */
export const runCommand: Command = {
  spec: {
    name: 'run',
    summary: "run a workflow on this machine with Argo's semantics",
    usage: 'argots run <file.ts|file.yaml…> [--pipeline NAME] [-p name=value…] [--event FILE --type EVENT] [--executor sandbox|docker|podman|host] [--approve NODE…] [--secret NAME=DIR…] [--configmap NAME=DIR…] [--replace-template NAME=FILE…] [--env NAME=VALUE…] [--image-map FROM=TO…] [--network] [--json]',
    description: [
      "Runs one workflow to completion on this machine with Argo's workflow controller semantics: a pipeline (.ts),",
      'a Workflow, a WorkflowTemplate (as the Workflow a Sensor would create from it) or a CronWorkflow (once).',
      'With --event, the delivery goes through the Sensors first and each Workflow they would create runs with the',
      "parameters it would get. Each node's logs and outputs are kept under .argots/runs/<workflow>/.",
      'On a terminal the run is shown as a live tree; otherwise one line per node change; --json prints one JSON',
      'object per node change and a final result. Ctrl-C stops every running step.',
    ].join('\n'),
    flags: {
      pipeline: { type: 'string', valueName: 'NAME', description: 'the workflow to run when the files hold several (its metadata.name)' },
      parameter: { type: 'string', short: 'p', multiple: true, valueName: 'name=value', description: 'a workflow parameter (repeatable)' },
      event: { type: 'string', valueName: 'FILE', description: 'a webhook delivery (JSON body) to pass through the Sensors first' },
      type: { type: 'string', valueName: 'EVENT', description: 'the X-GitHub-Event of --event: push, pull_request, …' },
      executor: { type: 'string', valueName: 'NAME', choices: ['sandbox', 'docker', 'podman', 'host', 'auto'], description: 'where steps run: a container backend, auto (docker, podman, sandbox: the first that works), or host (plain processes, no container) (default: sandbox when bwrap is installed, else auto)' },
      approve: { type: 'string', multiple: true, valueName: 'NODE[:k=v,…]', description: 'resume the suspend node NODE when it is reached, supplying output values (repeatable)' },
      secret: { type: 'string', multiple: true, valueName: 'NAME=DIR', description: 'the Secret NAME, one file per key in DIR (repeatable)' },
      configmap: { type: 'string', multiple: true, valueName: 'NAME=DIR', description: 'the ConfigMap NAME, one file per key in DIR (repeatable)' },
      'replace-template': { type: 'string', multiple: true, valueName: 'NAME=FILE', description: 'run the template in FILE instead of NAME (same inputs and outputs; repeatable)' },
      env: { type: 'string', multiple: true, valueName: 'NAME=VALUE', description: "an environment variable for every container, under the container's own env (repeatable; as act's --env)" },
      'image-map': { type: 'string', multiple: true, valueName: 'FROM=TO', description: 'run image TO where a container names FROM (a whole reference, or a repository for all its tags; repeatable)' },
      'kube-context': { type: 'string', valueName: 'CONTEXT', description: 'apply resource templates with kubectl in this context (default: print them)' },
      network: { type: 'boolean', description: 'give steps the network (default: none)' },
    },
    minPositionals: 1,
    positionalsName: 'file (pipelines, Argo YAML, or directories)',
    examples: ['argots run examples/hello-dag.ts -p sha=abc123', 'argots run workflow.yaml --executor host --json', 'argots run pipelines/release.ts --event push.json --type push', 'argots run ci.ts --replace-template build=fake-build.yaml', 'argots run manifests --event push.json --type push --network --env ARGOTS_GITHUB_API_URL=http://127.0.0.1:3000 --image-map registry.acme.io/platform/argots-runtime=127.0.0.1:5000/argots-runtime:dev'],
    exitCodes: { ...standardExitCodes, '0': 'the workflow Succeeded', '1': 'the workflow Failed or Errored, or the input is wrong (printed)' },
  },
  run,
};
