/**
 * Container, script and containerSet templates: one resolved ExecRequest per container for the executor, then
 * the outputs Argo's executor saves (`cmd/argoexec`, `workflow/executor/executor.go`): `result` (stdout, one
 * trailing newline removed), `exitCode`, parameters from `valueFrom.path` (the file as is; `valueFrom.default`
 * when it is missing), artifacts from their path into the run's artifact store, `globalName` → workflow outputs.
 */
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Collect, ExecRequest, Mount } from '../executors/executor.js';
import { ExecutorError } from '../executors/executor.js';
import type { NodeOutputs, RunNode } from '../model/node.js';
import type { Container, Template, VolumeMount } from '../model/workflow.js';
import type { Scope } from '../variables/scope.js';
import { mapImage } from './image-map.js';
import { NodeError, messageOf } from './workflow-run.js';
import type { WorkflowRun } from './workflow-run.js';

const RESULT_LIMIT = 256 * 1024;
const SCRIPT_PATH = '/argo/staging/script';

interface ContainerOutcome {
  readonly exitCode: number;
  readonly stdout: string;
  readonly collected: ReadonlyMap<string, string>;
}

/** Resolves one volumeMount to a host folder (emptyDir per node, claims per run, secret/configMap from --secret/--configmap). */
function volumeMount(run: WorkflowRun, node: RunNode, tmpl: Template, vm: VolumeMount): Mount {
  const volume = [...(tmpl.volumes ?? []), ...(run.wf.spec.volumes ?? [])].find((v) => v.name === vm.name);
  const claim = run.wf.spec.volumeClaimTemplates?.find((c) => c.metadata.name === vm.name);
  let hostPath: string;
  let readOnly = vm.readOnly ?? false;
  if (claim || volume?.persistentVolumeClaim) hostPath = join(run.options.runDir, 'volumes', volume?.persistentVolumeClaim?.claimName ?? vm.name);
  else if (volume?.emptyDir) hostPath = join(run.nodeDir(node), 'volumes', vm.name);
  else if (volume?.secret) {
    const dir = run.options.secrets?.get(volume.secret.secretName);
    if (dir === undefined) throw new NodeError(`volume "${vm.name}": Secret "${volume.secret.secretName}" is not given (pass --secret ${volume.secret.secretName}=DIR, a folder with one file per key)`);
    hostPath = dir;
    readOnly = true;
  } else if (volume?.configMap) {
    const dir = run.options.configMaps?.get(volume.configMap.name);
    if (dir === undefined) throw new NodeError(`volume "${vm.name}": ConfigMap "${volume.configMap.name}" is not given (pass --configmap ${volume.configMap.name}=DIR, a folder with one file per key)`);
    hostPath = dir;
    readOnly = true;
  } else if (volume?.hostPath) hostPath = volume.hostPath.path;
  else throw new NodeError(`volumeMount "${vm.name}" names no volume of the template or the workflow (volumes, volumeClaimTemplates)`);
  mkdirSync(hostPath, { recursive: true });
  if (vm.subPath) hostPath = join(hostPath, vm.subPath);
  return { hostPath, containerPath: vm.mountPath, readOnly };
}

function resolveEnv(run: WorkflowRun, node: RunNode, c: Container): Record<string, string> {
  // `--env`: what the cluster would give every pod; the container's own env wins.
  const env: Record<string, string> = { ...(run.options.env ?? {}) };
  for (const e of c.env ?? []) {
    if (e.value !== undefined) env[e.name] = e.value;
    else if (e.valueFrom?.secretKeyRef) {
      const { name, key, optional } = e.valueFrom.secretKeyRef;
      const v = run.readSecretKey(name, key);
      if (v === undefined && !optional) throw new NodeError(`env "${e.name}": Secret "${name}" key "${key}" is not given (pass --secret ${name}=DIR with a file named ${key})`);
      if (v !== undefined) env[e.name] = v;
    } else if (e.valueFrom?.configMapKeyRef) {
      const { name, key, optional } = e.valueFrom.configMapKeyRef;
      const v = run.readConfigKey(name, key);
      if (v === undefined && !optional) throw new NodeError(`env "${e.name}": ConfigMap "${name}" key "${key}" is not given (pass --configmap ${name}=DIR with a file named ${key})`);
      if (v !== undefined) env[e.name] = v;
    } else if (e.valueFrom?.fieldRef) {
      const path = e.valueFrom.fieldRef.fieldPath;
      env[e.name] = path === 'metadata.name' ? (node.podName ?? '') : path === 'metadata.namespace' ? (run.wf.metadata.namespace ?? 'default') : '';
    } else env[e.name] = '';
  }
  return env;
}

const prepared = new WeakMap<WorkflowRun, Map<string, Promise<void>>>();

async function prepareImage(run: WorkflowRun, image: string, pullPolicy: Container['imagePullPolicy']): Promise<void> {
  let cache = prepared.get(run);
  if (!cache) prepared.set(run, (cache = new Map()));
  let p = cache.get(image);
  if (!p) {
    p = run.options.executor.prepare(image, { signal: run.abort.signal, ...(pullPolicy ? { pullPolicy } : {}) });
    cache.set(image, p);
  }
  await p;
}

async function runContainer(run: WorkflowRun, node: RunNode, logName: string, tmpl: Template, c: Container, extra: { mounts: Mount[]; collect: Collect[]; args?: readonly string[]; command?: readonly string[] }, signal: AbortSignal): Promise<ContainerOutcome> {
  if (!c.image) throw new NodeError(`container "${c.name ?? 'main'}" has no image`);
  const image = mapImage(c.image, run.options.imageMap);
  const env = resolveEnv(run, node, c);
  const mounts = [...extra.mounts, ...(c.volumeMounts ?? []).map((vm) => volumeMount(run, node, tmpl, vm))];
  // One folder for every log (created once per run): a log file appears with the step's first output.
  const logFile = join(run.logDir(), `${node.id}${logName === 'main' ? '' : `.${logName}`}.log`);
  node.logFile = relative(run.options.runDir, logFile);
  try {
    await prepareImage(run, image, c.imagePullPolicy);
  } catch (error) {
    if (error instanceof ExecutorError) throw new NodeError(`${error.message} (hint: ${error.hint})`);
    throw error;
  }
  let stdout = '';
  const command = extra.command ?? c.command;
  const args = extra.args ?? c.args;
  const request: ExecRequest = {
    node: node.name,
    image,
    ...(c.imagePullPolicy ? { imagePullPolicy: c.imagePullPolicy } : {}),
    ...(command ? { command } : {}),
    ...(args ? { args } : {}),
    env,
    ...(c.workingDir ? { workingDir: c.workingDir } : {}),
    mounts,
    collect: extra.collect,
    network: run.options.network ?? false,
    signal,
    onOutput: (stream, chunk) => {
      const text = chunk.toString('utf8');
      if (stream === 'stdout' && stdout.length < RESULT_LIMIT) stdout += text;
      appendFileSync(logFile, chunk);
      run.emit({ type: 'log', node: node.name, stream, text });
    },
  };
  run.markStarted(node);
  let exitCode: number;
  try {
    ({ exitCode } = await run.options.executor.run(request));
  } catch (error) {
    if (error instanceof ExecutorError) throw new NodeError(`${error.message} (hint: ${error.hint})`);
    throw error;
  }
  const collected = new Map<string, string>();
  for (const col of extra.collect) if (existsSync(col.hostPath)) collected.set(col.containerPath, col.hostPath);
  return { exitCode, stdout, collected };
}

function outputsCollect(run: WorkflowRun, node: RunNode, tmpl: Template): Collect[] {
  const dir = join(run.options.runDir, 'nodes', node.id);
  const collect: Collect[] = [];
  for (const p of tmpl.outputs?.parameters ?? []) if (p.valueFrom?.path) collect.push({ containerPath: p.valueFrom.path, hostPath: join(dir, 'outputs', 'parameters', p.name) });
  for (const a of tmpl.outputs?.artifacts ?? []) if (a.path) collect.push({ containerPath: a.path, hostPath: join(run.options.runDir, 'artifacts', node.id, a.name) });
  return collect;
}

/** Outputs after the main container exited; a missing required output fails a node that otherwise succeeded. */
function saveOutputs(run: WorkflowRun, node: RunNode, tmpl: Template, outcome: ContainerOutcome): void {
  const outputs: NodeOutputs = { parameters: [], artifacts: [], exitCode: String(outcome.exitCode) };
  outputs.result = outcome.stdout.endsWith('\n') ? outcome.stdout.slice(0, -1) : outcome.stdout;
  const problems: string[] = [];
  for (const p of tmpl.outputs?.parameters ?? []) {
    let value: string | undefined;
    if (p.value !== undefined) value = String(p.value);
    else if (p.valueFrom?.path) {
      const host = outcome.collected.get(p.valueFrom.path);
      if (host !== undefined) value = readFileSync(host, 'utf8');
      else if (p.valueFrom.default !== undefined) value = p.valueFrom.default;
      else problems.push(`open ${p.valueFrom.path}: no such file or directory (output parameter "${p.name}")`);
    }
    if (value === undefined) continue;
    outputs.parameters.push({ name: p.name, value });
    if (p.globalName) run.setGlobalParameter(p.globalName, value);
  }
  for (const a of tmpl.outputs?.artifacts ?? []) {
    const host = a.path !== undefined ? outcome.collected.get(a.path) : undefined;
    if (host === undefined) {
      if (!a.optional) problems.push(`output artifact "${a.name}": ${a.path ?? '(no path)'} does not exist`);
      continue;
    }
    outputs.artifacts.push({ name: a.name, path: host });
    if (a.globalName) run.setGlobalArtifact(a.globalName, host);
  }
  node.outputs = outputs;
  if (outcome.exitCode !== 0) run.setPhase(node, 'Failed', `Error (exit code ${outcome.exitCode})`);
  else if (problems.length > 0) run.setPhase(node, 'Error', problems.join('; '));
  else run.setPhase(node, 'Succeeded');
}

function artifactMounts(run: WorkflowRun, node: RunNode): Mount[] {
  return (run.inputArtifacts.get(node.id) ?? []).filter((a) => a.path !== undefined).map((a) => ({ hostPath: a.hostPath, containerPath: a.path as string, readOnly: false }));
}

export async function executeLeaf(run: WorkflowRun, node: RunNode, tmpl: Template, _scope: Scope, signal: AbortSignal): Promise<void> {
  const c = (tmpl.script ?? tmpl.container) as Container;
  const mounts = artifactMounts(run, node);
  let command: readonly string[] | undefined;
  let args: readonly string[] | undefined;
  if (tmpl.script) {
    // Argo writes the source to /argo/staging/script and runs `command… /argo/staging/script args…`.
    const file = join(run.nodeDir(node), 'script');
    writeFileSync(file, tmpl.script.source ?? '', { mode: 0o755 });
    const path = run.options.executor.name === 'host' ? file : SCRIPT_PATH;
    if (run.options.executor.name !== 'host') mounts.push({ hostPath: file, containerPath: SCRIPT_PATH, readOnly: true });
    command = tmpl.script.command ?? ['sh'];
    args = [path, ...(tmpl.script.args ?? [])];
  }
  try {
    // Init containers first, in order, with the pod's volumes; one that fails fails the pod (Init:Error).
    for (const [i, init] of (tmpl.initContainers ?? []).entries()) {
      const name = init.name ?? `init-${i}`;
      const outcome = await runContainer(run, node, name, tmpl, init, { mounts, collect: [] }, signal);
      if (signal.aborted) {
        run.setPhase(node, 'Failed', run.stopReason ?? 'stopped');
        return;
      }
      if (outcome.exitCode !== 0) {
        node.outputs = { parameters: [], artifacts: [], exitCode: String(outcome.exitCode) };
        run.setPhase(node, 'Failed', `init container "${name}" failed: Error (exit code ${outcome.exitCode})`);
        return;
      }
    }
    const outcome = await runContainer(run, node, 'main', tmpl, c, { mounts, collect: outputsCollect(run, node, tmpl), ...(command ? { command } : {}), ...(args ? { args } : {}) }, signal);
    if (signal.aborted) {
      node.outputs = { parameters: [], artifacts: [], exitCode: String(outcome.exitCode) };
      run.setPhase(node, 'Failed', run.stopReason ?? 'stopped');
      return;
    }
    saveOutputs(run, node, tmpl, outcome);
  } catch (error) {
    run.setPhase(node, 'Error', messageOf(error));
  }
}

/** A containerSet: its containers in `dependencies` order, sharing volumes; the `main` container gives the outputs. */
export async function executeContainerSet(run: WorkflowRun, node: RunNode, tmpl: Template, _scope: Scope, signal: AbortSignal): Promise<void> {
  const set = tmpl.containerSet;
  if (!set || set.containers.length === 0) {
    run.setPhase(node, 'Error', 'containerSet has no containers');
    return;
  }
  const mainName = set.containers.length === 1 ? set.containers[0]?.name : 'main';
  const outcomes = new Map<string, Promise<ContainerOutcome | undefined>>();
  const byName = new Map(set.containers.map((c) => [c.name ?? 'main', c]));
  const sharedMounts = [...artifactMounts(run, node)];
  const setMounts = (set.volumeMounts ?? []) as VolumeMount[];
  const start = (name: string): Promise<ContainerOutcome | undefined> => {
    let p = outcomes.get(name);
    if (p) return p;
    const c = byName.get(name) as Container;
    p = (async () => {
      const deps = await Promise.all((c.dependencies ?? []).map((d) => (byName.has(d) ? start(d) : Promise.resolve(undefined))));
      const child = run.createNode(`${node.name}.${name}`, 'Container', node.templateName, { boundaryId: node.boundaryId, parentId: node.id, displayName: name, phase: 'Pending' });
      if (deps.some((d) => d === undefined || d.exitCode !== 0)) {
        run.setPhase(child, 'Omitted', 'a dependency did not succeed');
        return undefined;
      }
      run.setPhase(child, 'Running');
      try {
        const withSetMounts: Container = { ...c, volumeMounts: [...setMounts, ...(c.volumeMounts ?? [])] };
        const outcome = await runContainer(run, child, name, tmpl, withSetMounts, { mounts: sharedMounts, collect: name === mainName ? outputsCollect(run, node, tmpl) : [] }, signal);
        run.setPhase(child, outcome.exitCode === 0 ? 'Succeeded' : 'Failed', outcome.exitCode === 0 ? '' : `Error (exit code ${outcome.exitCode})`);
        child.outputs = { parameters: [], artifacts: [], exitCode: String(outcome.exitCode) };
        return outcome;
      } catch (error) {
        run.setPhase(child, 'Error', messageOf(error));
        return undefined;
      }
    })();
    outcomes.set(name, p);
    return p;
  };
  run.markStarted(node);
  const results = await Promise.all([...byName.keys()].map(start));
  const main = mainName !== undefined ? await outcomes.get(mainName) : undefined;
  const failed = [...byName.keys()].map((n) => run.byName.get(`${node.name}.${n}`)).find((n) => n && n.phase !== 'Succeeded');
  if (main) saveOutputs(run, node, tmpl, main);
  if (failed) run.setPhase(node, failed.phase === 'Error' ? 'Error' : 'Failed', `container "${failed.displayName}": ${failed.message}`);
  else if (!main) run.setPhase(node, results.every((r) => r?.exitCode === 0) ? 'Succeeded' : 'Failed');
}
