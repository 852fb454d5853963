/**
 * One workflow run with the controller's semantics (`workflow/controller/operator.go`): the node registry, the
 * dispatch of a template to its kind, retries, deadlines, synchronization, exit handlers and lifecycle hooks.
 * DAGs and steps live in dag.ts and steps.ts, leaves in leaf.ts and other-leaves.ts.
 */
import { randomUUID } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LoadedWorkflow, TemplateContext } from '../load/loaded-workflow.js';
import { resolveTemplateRef } from '../load/loaded-workflow.js';
import type { NodePhase, NodeType, RunNode } from '../model/node.js';
import { failedOrError, isFulfilled } from '../model/node.js';
import type { Arguments, LifecycleHook, NodeCall, RetryStrategy, Synchronization, Template } from '../model/workflow.js';
import { evaluateExpressionBool } from '../variables/expression.js';
import { Scope } from '../variables/scope.js';
import { UnresolvedVariableError, substituteDeep, substituteString } from '../variables/substitute.js';
import { executeDag } from './dag.js';
import { parseDuration } from './durations.js';
import { processInputs } from './inputs.js';
import type { InputArtifact } from './inputs.js';
import { executeContainerSet, executeLeaf } from './leaf.js';
import { Limiter, UNLIMITED } from './limiter.js';
import { executeHttp, executeResource, executeSuspend } from './other-leaves.js';
import { podName } from './pod-name.js';
import { withTemplateDefaults } from './template-defaults.js';
import type { RunEvent, RunOptions, RunResult } from './run-types.js';
import { executeSteps } from './steps.js';

/** How a node is called: the template (by name, by ref, inline) and its arguments. */
export interface CallSite {
  readonly template?: string;
  readonly templateRef?: NodeCall['templateRef'];
  readonly inline?: Template;
  readonly arguments?: Arguments;
}

export interface ExecuteOptions {
  readonly boundaryId: string | undefined;
  readonly parentId: string | undefined;
  readonly displayName: string;
  /** Limits held while the node runs (its DAG's or steps' parallelism). */
  readonly limiter?: Pick<Limiter, 'acquire'>;
  /** Scope extras the called template sees (a retry's `retries`). */
  readonly retries?: number;
  /** Set when the caller already wrapped this node in a Retry node. */
  readonly noRetry?: boolean;
}

export class NodeError extends Error {
  override readonly name = 'NodeError';
}

export class WorkflowRun {
  readonly nodes = new Map<string, RunNode>();
  readonly byName = new Map<string, RunNode>();
  readonly starts: string[] = [];
  readonly globals = new Scope();
  readonly globalOutputs = { parameters: {} as Record<string, string>, artifacts: {} as Record<string, string> };
  readonly name: string;
  readonly uid = randomUUID();
  readonly createdAt = new Date();
  readonly abort = new AbortController();
  readonly podLimiter: Pick<Limiter, 'acquire'>;
  private readonly locks = new Map<string, Limiter>();
  /** Input artifacts of each node, fetched: the leaf mounts them. */
  readonly inputArtifacts = new Map<string, InputArtifact[]>();
  private seq = 0;
  /** Why the run is being stopped: the workflow's deadline, or the user. */
  stopReason: string | undefined;

  constructor(
    readonly wf: LoadedWorkflow,
    readonly options: RunOptions,
  ) {
    this.name = options.workflowName ?? wf.name;
    this.podLimiter = wf.spec.parallelism ? new Limiter(wf.spec.parallelism) : UNLIMITED;
    setMaxListeners(0, this.abort.signal);
    options.signal?.addEventListener('abort', () => this.stop('Stopped by the user (interrupted)'), { once: true });
  }

  stop(reason: string): void {
    if (this.stopReason !== undefined) return;
    this.stopReason = reason;
    this.abort.abort();
  }

  get stopped(): boolean {
    return this.abort.signal.aborted;
  }

  emit(event: RunEvent): void {
    this.options.onEvent?.(event);
  }

  // ---- nodes --------------------------------------------------------------------------------------------------

  createNode(name: string, type: NodeType, templateName: string, opts: { boundaryId: string | undefined; parentId: string | undefined; displayName: string; phase?: NodePhase; message?: string }): RunNode {
    const existing = this.byName.get(name);
    if (existing) return existing;
    this.seq += 1;
    const node: RunNode = {
      id: `${this.name}-${this.seq}`,
      name,
      displayName: opts.displayName,
      type,
      templateName,
      boundaryId: opts.boundaryId,
      parentId: opts.parentId,
      phase: opts.phase ?? 'Running',
      message: opts.message ?? '',
      startedAt: Date.now(),
      runningAt: undefined,
      finishedAt: undefined,
      outputs: undefined,
      inputs: [],
      podName: undefined,
      children: [],
      daemoned: false,
      attempt: undefined,
      logFile: undefined,
    };
    if (isFulfilled(node.phase)) node.finishedAt = node.startedAt;
    this.nodes.set(node.id, node);
    this.byName.set(name, node);
    if (opts.parentId) this.nodes.get(opts.parentId)?.children.push(node.id);
    this.emit({ type: 'node', node });
    return node;
  }

  setPhase(node: RunNode, phase: NodePhase, message?: string): RunNode {
    node.phase = phase;
    if (message !== undefined) node.message = message;
    if (isFulfilled(phase)) node.finishedAt = Date.now();
    this.emit({ type: 'node', node });
    return node;
  }

  markStarted(node: RunNode): void {
    // A pod's init containers and its main container start it once.
    if (node.runningAt !== undefined) return;
    node.runningAt = Date.now();
    this.starts.push(node.name);
  }

  private logs: string | undefined;

  /** `<run>/logs/`, where each step's log is `<node id>.log`. */
  logDir(): string {
    if (this.logs === undefined) {
      this.logs = join(this.options.runDir, 'logs');
      mkdirSync(this.logs, { recursive: true });
    }
    return this.logs;
  }

  nodeDir(node: RunNode): string {
    const dir = join(this.options.runDir, 'nodes', node.id);
    mkdirSync(dir, { recursive: true });
    return dir;
  }

  // ---- templates ----------------------------------------------------------------------------------------------

  /** The template a call names, in the context it is to run in; a string is why it cannot be found. */
  resolve(call: CallSite, context: TemplateContext): { template: Template; context: TemplateContext; name: string } | string {
    if (call.inline) return { template: call.inline, context, name: call.inline.name ?? 'inline' };
    if (call.templateRef) {
      const replaced = this.options.replaceTemplates?.get(call.templateRef.template);
      if (replaced) return { template: replaced, context, name: call.templateRef.template };
      const r = resolveTemplateRef(this.wf, call.templateRef);
      return typeof r === 'string' ? r : { ...r, name: call.templateRef.template };
    }
    if (call.template === undefined) return 'the call names no template (template, templateRef or inline)';
    const replaced = this.options.replaceTemplates?.get(call.template);
    if (replaced) return { template: replaced, context, name: call.template };
    const template = context.templates.get(call.template);
    if (!template) return `template "${call.template}" not found in ${context.source}`;
    return { template, context, name: call.template };
  }

  nodeTypeOf(t: Template): NodeType {
    if (t.dag) return 'DAG';
    if (t.steps) return 'Steps';
    if (t.suspend) return 'Suspend';
    if (t.http) return 'HTTP';
    if (t.plugin) return 'Plugin';
    return 'Pod';
  }

  /**
   * Runs a template as node `nodeName` (Argo's executeTemplate): resolves it, wraps it in a Retry node when it
   * has a retry strategy, processes its inputs, holds its locks, and runs it by kind.
   */
  async executeTemplate(nodeName: string, call: CallSite, context: TemplateContext, opts: ExecuteOptions): Promise<RunNode> {
    const resolved = this.resolve(call, context);
    if (typeof resolved === 'string') {
      const node = this.createNode(nodeName, 'Skipped', call.template ?? call.templateRef?.template ?? '', { ...opts, phase: 'Error', message: resolved });
      return node;
    }
    const template = withTemplateDefaults(resolved.template, this.wf.spec.templateDefaults);
    const templateName = resolved.name;
    const retry = template.retryStrategy ?? (this.wf.spec.retryStrategy && !template.dag && !template.steps ? this.wf.spec.retryStrategy : undefined);
    if (retry && !opts.noRetry) return this.executeWithRetry(nodeName, call, resolved.context, template, templateName, retry, opts);
    const release = await (opts.limiter ?? UNLIMITED).acquire(this.abort.signal).catch(() => undefined);
    if (!release) return this.createNode(nodeName, this.nodeTypeOf(template), templateName, { ...opts, phase: 'Failed', message: this.stopReason ?? 'stopped' });
    try {
      return await this.executeResolved(nodeName, call, resolved.context, template, templateName, opts);
    } finally {
      release();
    }
  }

  private async executeResolved(nodeName: string, call: CallSite, context: TemplateContext, template: Template, templateName: string, opts: ExecuteOptions): Promise<RunNode> {
    const node = this.createNode(nodeName, this.nodeTypeOf(template), templateName, { ...opts, phase: 'Pending' });
    if (this.stopped) return this.setPhase(node, 'Failed', this.stopReason);
    const scope = this.globals.child();
    scope.set('node.name', nodeName);
    if (opts.retries !== undefined) scope.set('retries', String(opts.retries));
    if (node.type === 'Pod') {
      node.podName = podName(this.name, nodeName, templateName);
      scope.set('pod.name', node.podName);
    }
    let tmpl: Template;
    try {
      tmpl = await processInputs(this, node, template, call.arguments ?? {}, scope);
    } catch (error) {
      return this.setPhase(node, 'Error', messageOf(error));
    }
    const memo = tmpl.memoize ? `memoization key "${substituteString(tmpl.memoize.key, scope, { allowUnresolved: true })}": not cached (argots run keeps no cache)` : '';
    const releaseLocks = await this.acquireLocks(node, tmpl.synchronization);
    if (typeof releaseLocks === 'string') return this.setPhase(node, 'Error', releaseLocks);
    try {
      this.setPhase(node, 'Running', memo);
      if (tmpl.dag) await executeDag(this, node, tmpl, context, scope);
      else if (tmpl.steps) await executeSteps(this, node, tmpl, context, scope);
      else await this.executeLeafWithDeadline(node, tmpl, scope);
      if (memo && !node.message) node.message = memo;
      return node;
    } finally {
      releaseLocks();
    }
  }

  private async executeLeafWithDeadline(node: RunNode, tmpl: Template, scope: Scope): Promise<void> {
    let deadlineMs: number | undefined;
    try {
      if (tmpl.activeDeadlineSeconds !== undefined) deadlineMs = Number(substituteString(String(tmpl.activeDeadlineSeconds), scope, { allowUnresolved: false })) * 1000;
      if (tmpl.timeout !== undefined) {
        const t = parseDuration(substituteString(tmpl.timeout, scope, { allowUnresolved: false }), 'timeout');
        deadlineMs = deadlineMs === undefined ? t : Math.min(deadlineMs, t);
      }
    } catch (error) {
      this.setPhase(node, 'Error', messageOf(error));
      return;
    }
    const leafAbort = new AbortController();
    const onStop = (): void => leafAbort.abort();
    this.abort.signal.addEventListener('abort', onStop, { once: true });
    let timedOut = false;
    const timer = deadlineMs !== undefined && Number.isFinite(deadlineMs) ? setTimeout(() => ((timedOut = true), leafAbort.abort()), deadlineMs) : undefined;
    const release = node.type === 'Pod' ? await this.podLimiter.acquire(this.abort.signal).catch(() => undefined) : () => undefined;
    try {
      if (!release) {
        this.setPhase(node, 'Failed', this.stopReason);
        return;
      }
      if (tmpl.suspend) await executeSuspend(this, node, tmpl, scope, leafAbort.signal);
      else if (tmpl.http) await executeHttp(this, node, tmpl, scope, leafAbort.signal);
      else if (tmpl.resource) await executeResource(this, node, tmpl, scope, leafAbort.signal);
      else if (tmpl.containerSet) await executeContainerSet(this, node, tmpl, scope, leafAbort.signal);
      else if (tmpl.container || tmpl.script) await executeLeaf(this, node, tmpl, scope, leafAbort.signal);
      else this.setPhase(node, 'Error', `template "${node.templateName}" has no container, script, containerSet, resource, suspend, http, dag or steps that argots run can execute (data and plugin templates are not supported)`);
      if (timedOut && !isFulfilledOk(node)) this.setPhase(node, 'Failed', `Pod was active on the node longer than the specified deadline (${Math.round((deadlineMs ?? 0) / 1000)}s)`);
      else if (this.stopped && node.phase !== 'Succeeded') this.setPhase(node, 'Failed', this.stopReason);
    } finally {
      if (timer) clearTimeout(timer);
      this.abort.signal.removeEventListener('abort', onStop);
      release?.();
    }
  }

  // ---- retries (workflow/controller/operator.go processNodeRetries; docs/retries.md) -------------------------

  private async executeWithRetry(nodeName: string, call: CallSite, context: TemplateContext, template: Template, templateName: string, retry: RetryStrategy, opts: ExecuteOptions): Promise<RunNode> {
    const release = await (opts.limiter ?? UNLIMITED).acquire(this.abort.signal).catch(() => undefined);
    const node = this.createNode(nodeName, 'Retry', templateName, { ...opts, phase: 'Running' });
    if (!release) return this.setPhase(node, 'Failed', this.stopReason);
    try {
      const limitScope = this.globals.child();
      let limit: number | undefined;
      try {
        limit = retry.limit === undefined ? undefined : Number(substituteString(String(retry.limit), limitScope, { allowUnresolved: false }));
        if (limit !== undefined && !Number.isInteger(limit)) throw new NodeError(`retryStrategy.limit "${retry.limit}" is not an integer`);
      } catch (error) {
        return this.setPhase(node, 'Error', messageOf(error));
      }
      const policy = retry.retryPolicy ?? 'OnFailure';
      for (let attempt = 0; ; attempt += 1) {
        const child = await this.executeResolved(`${nodeName}(${attempt})`, call, context, template, templateName, { ...opts, boundaryId: opts.boundaryId, parentId: node.id, displayName: `${opts.displayName}(${attempt})`, retries: attempt, noRetry: true });
        child.attempt = attempt;
        node.outputs = child.outputs;
        node.podName = child.podName;
        node.inputs = child.inputs;
        if (child.phase === 'Succeeded' || child.phase === 'Skipped' || child.phase === 'Omitted') return this.setPhase(node, child.phase, child.message);
        if (this.stopped) return this.setPhase(node, child.phase, child.message);
        const retryOn = policy === 'Always' || (policy === 'OnFailure' && child.phase === 'Failed') || (policy === 'OnError' && child.phase === 'Error') || (policy === 'OnTransientError' && /transient|timeout|connection reset|EOF/i.test(child.message));
        if (!retryOn) return this.setPhase(node, child.phase, child.message);
        if (limit !== undefined && attempt >= limit) return this.setPhase(node, child.phase, 'No more retries left');
        if (retry.expression) {
          const s = this.globals.child();
          s.set('lastRetry.exitCode', child.outputs?.exitCode ?? '-1');
          s.set('lastRetry.status', child.phase);
          s.set('lastRetry.duration', String(Math.round(((child.finishedAt ?? Date.now()) - child.startedAt) / 1000)));
          s.set('lastRetry.message', child.message);
          let again: boolean;
          try {
            again = evaluateExpressionBool(retry.expression, s);
          } catch (error) {
            return this.setPhase(node, 'Error', `retryStrategy.expression: ${messageOf(error)}`);
          }
          if (!again) return this.setPhase(node, child.phase, `retryStrategy.expression evaluated to false`);
        }
        const wait = backoffMs(retry, attempt);
        if (wait instanceof Error) return this.setPhase(node, 'Error', wait.message);
        if (wait > 0) {
          if (retry.backoff?.maxDuration && Date.now() - node.startedAt + wait > parseDuration(retry.backoff.maxDuration, 'backoff.maxDuration')) {
            return this.setPhase(node, child.phase, 'Max duration limit exceeded');
          }
          await sleep(wait, this.abort.signal);
        }
      }
    } finally {
      release();
    }
  }

  // ---- synchronization (docs/synchronization.md) -----------------------------------------------------------

  async acquireLocks(node: RunNode, sync: Synchronization | undefined): Promise<(() => void) | string> {
    if (!sync) return () => undefined;
    const keys: { key: string; limit: number }[] = [];
    for (const m of [...(sync.mutexes ?? []), ...(sync.mutex ? [sync.mutex] : [])]) keys.push({ key: `mutex/${m.name}`, limit: 1 });
    for (const s of [...(sync.semaphores ?? []), ...(sync.semaphore ? [sync.semaphore] : [])]) {
      const ref = s.configMapKeyRef;
      if (!ref) return 'synchronization: a semaphore needs configMapKeyRef (name, key)';
      const limit = this.readConfigKey(ref.name, ref.key);
      if (limit === undefined) return `synchronization: semaphore limit ConfigMap "${ref.name}" key "${ref.key}" is not given (pass --configmap ${ref.name}=DIR with a file named ${ref.key})`;
      const n = Number(limit.trim());
      if (!Number.isInteger(n) || n < 1) return `synchronization: semaphore ConfigMap "${ref.name}" key "${ref.key}" holds "${limit.trim()}", expected a positive integer`;
      keys.push({ key: `semaphore/${ref.name}/${ref.key}`, limit: n });
    }
    keys.sort((a, b) => (a.key < b.key ? -1 : 1));
    const releases: (() => void)[] = [];
    for (const { key, limit } of keys) {
      let lock = this.locks.get(key);
      if (!lock) this.locks.set(key, (lock = new Limiter(limit)));
      if (lock.busy) {
        node.message = `Waiting for ${key} lock`;
        this.emit({ type: 'node', node });
      }
      const release = await lock.acquire(this.abort.signal).catch(() => undefined);
      if (!release) {
        releases.forEach((r) => r());
        return this.stopReason ?? 'stopped';
      }
      releases.push(release);
    }
    if (node.message.startsWith('Waiting for')) node.message = '';
    return () => releases.reverse().forEach((r) => r());
  }

  readConfigKey(name: string, key: string): string | undefined {
    return readKey(this.options.configMaps?.get(name), key);
  }

  readSecretKey(name: string, key: string): string | undefined {
    return readKey(this.options.secrets?.get(name), key);
  }

  // ---- hooks (docs/lifecycle-hook.md) -----------------------------------------------------------------------

  /** Runs the hooks whose expression holds now (each at most once), and the `exit` hook when `final`. */
  async runHooks(owner: string, hooks: Readonly<Record<string, LifecycleHook>> | undefined, scope: Scope, context: TemplateContext, fired: Set<string>, opts: { boundaryId: string | undefined; parentId: string | undefined; final: boolean }): Promise<void> {
    if (!hooks) return;
    const runs: Promise<unknown>[] = [];
    for (const [name, hook] of Object.entries(hooks).sort(([a], [b]) => (a < b ? -1 : 1))) {
      if (fired.has(name)) continue;
      if (name === 'exit') {
        if (!opts.final) continue;
      } else {
        if (!hook.expression) continue;
        let holds: boolean;
        try {
          holds = evaluateExpressionBool(substituteString(hook.expression, scope, { allowUnresolved: true }), scope);
        } catch {
          holds = false;
        }
        if (!holds) continue;
      }
      fired.add(name);
      const nodeName = name === 'exit' ? `${owner}.onExit` : `${owner}.hooks.${name}`;
      let args: Arguments | undefined;
      try {
        args = hook.arguments ? substituteDeep(hook.arguments, scope, { allowUnresolved: false }) : undefined;
      } catch (error) {
        this.createNode(nodeName, 'Skipped', hook.template ?? '', { ...opts, displayName: nodeName.slice(owner.length + 1), phase: 'Error', message: messageOf(error) });
        continue;
      }
      const call: CallSite = { ...(hook.template !== undefined ? { template: hook.template } : {}), ...(hook.templateRef ? { templateRef: hook.templateRef } : {}), ...(args ? { arguments: args } : {}) };
      runs.push(this.executeTemplate(nodeName, call, context, { boundaryId: opts.boundaryId, parentId: opts.parentId, displayName: nodeName.slice(owner.lastIndexOf('.') + 1) }));
    }
    await Promise.all(runs);
  }

  // ---- the whole workflow -----------------------------------------------------------------------------------

  async run(): Promise<RunResult> {
    mkdirSync(this.options.runDir, { recursive: true });
    const spec = this.wf.spec;
    const entrypoint = spec.entrypoint;
    let deadline: NodeJS.Timeout | undefined;
    if (spec.activeDeadlineSeconds !== undefined) {
      deadline = setTimeout(() => this.stop('Max duration limit exceeded (activeDeadlineSeconds)'), spec.activeDeadlineSeconds * 1000);
    }
    const rootCall: CallSite = { ...(entrypoint !== undefined ? { template: entrypoint } : {}), arguments: { parameters: Object.entries(this.globalParams).map(([name, value]) => ({ name, value })), ...(spec.arguments?.artifacts ? { artifacts: spec.arguments.artifacts } : {}) } };
    this.globals.set('workflow.status', 'Running');
    const hooksFired = new Set<string>();
    await this.runHooks(this.name, omitExit(spec.hooks), this.globals, this.wf.context, hooksFired, { boundaryId: undefined, parentId: undefined, final: false });
    const root = entrypoint === undefined
      ? this.createNode(this.name, 'Skipped', '', { boundaryId: undefined, parentId: undefined, displayName: this.name, phase: 'Error', message: 'spec.entrypoint is not set' })
      : await this.executeTemplate(this.name, rootCall, this.wf.context, { boundaryId: undefined, parentId: undefined, displayName: this.name });
    if (deadline) clearTimeout(deadline);
    let phase: RunResult['phase'] = root.phase === 'Succeeded' || root.phase === 'Skipped' ? 'Succeeded' : root.phase === 'Error' ? 'Error' : 'Failed';
    let message = phase === 'Succeeded' ? '' : this.stopReason ?? root.message;
    const interrupted = this.options.signal?.aborted === true;
    // Exit handlers run after the entrypoint, deadline or not (operator.go: onExit; docs/exit-handlers.md).
    if (!interrupted) {
      // The exit handler and hooks run even when the deadline stopped the main part.
      if (this.stopped) this.resetAbortForExit();
      this.globals.set('workflow.status', phase);
      this.globals.set('workflow.duration', String((Date.now() - this.createdAt.getTime()) / 1000));
      this.globals.set('workflow.failures', JSON.stringify(this.failures()));
      for (const [k, v] of Object.entries(this.globalOutputs.parameters)) this.globals.set(`workflow.outputs.parameters.${k}`, v);
      await this.runHooks(this.name, omitExit(spec.hooks), this.globals, this.wf.context, hooksFired, { boundaryId: undefined, parentId: undefined, final: false });
      const exitTemplate = spec.hooks?.['exit'] ?? (spec.onExit !== undefined ? { template: spec.onExit } : undefined);
      if (exitTemplate) {
        const exitNode = await this.executeTemplate(`${this.name}.onExit`, { ...exitTemplate, ...(exitTemplate.arguments ? { arguments: substituteDeep(exitTemplate.arguments, this.globals, { allowUnresolved: true }) } : {}) }, this.wf.context, { boundaryId: undefined, parentId: undefined, displayName: 'onExit' });
        if (phase === 'Succeeded' && failedOrError(exitNode.phase)) {
          phase = 'Failed';
          message = `exit handler "${exitNode.name}" ${exitNode.phase.toLowerCase()}: ${exitNode.message}`;
        }
      }
    }
    if (interrupted) {
      phase = 'Failed';
      message = this.stopReason ?? 'interrupted';
    }
    this.emit({ type: 'workflow', phase, message });
    return { name: this.name, phase, message, nodes: [...this.nodes.values()], starts: this.starts, outputs: this.globalOutputs, runDir: this.options.runDir };
  }

  private resetAbortForExit(): void {
    // A fresh controller: the stopped main part stays stopped; the exit handler gets to run.
    (this as { abort: AbortController }).abort = new AbortController();
    setMaxListeners(0, this.abort.signal);
    this.stopReason = undefined;
  }

  /** `workflow.failures` (operator.go): every Failed or Errored node. */
  failures(): unknown[] {
    return [...this.nodes.values()]
      .filter((n) => failedOrError(n.phase))
      .map((n) => ({ displayName: n.displayName, message: n.message, templateName: n.templateName, phase: n.phase, podName: n.podName ?? '', finishedAt: new Date(n.finishedAt ?? Date.now()).toISOString().replace(/\.\d+Z$/, 'Z') }));
  }

  /** Workflow parameters after `-p`, set up by {@link setupGlobals}. */
  globalParams: Record<string, string> = {};

  /** An output with `globalName` (operator.go addOutputsToGlobalScope): `workflow.outputs.parameters.<name>`. */
  setGlobalParameter(name: string, value: string): void {
    this.globalOutputs.parameters[name] = value;
    this.globals.set(`workflow.outputs.parameters.${name}`, value);
  }

  setGlobalArtifact(name: string, path: string): void {
    this.globalOutputs.artifacts[name] = path;
    this.globals.set(`workflow.outputs.artifacts.${name}`, path);
  }
}

function isFulfilledOk(node: RunNode): boolean {
  return node.phase === 'Succeeded';
}

function omitExit(hooks: Readonly<Record<string, LifecycleHook>> | undefined): Readonly<Record<string, LifecycleHook>> | undefined {
  if (!hooks) return undefined;
  const out: Record<string, LifecycleHook> = {};
  for (const [k, v] of Object.entries(hooks)) if (k !== 'exit') out[k] = v;
  return out;
}

function readKey(dir: string | undefined, key: string): string | undefined {
  if (dir === undefined) return undefined;
  try {
    return readFileSync(join(dir, key), 'utf8');
  } catch {
    return undefined;
  }
}


export function backoffMs(retry: RetryStrategy, attempt: number): number | Error {
  const b = retry.backoff;
  if (!b || b.duration === undefined) return 0;
  try {
    const base = parseDuration(b.duration, 'backoff.duration');
    const factor = b.factor === undefined ? 1 : Number(b.factor);
    let wait = base * factor ** attempt;
    if (b.cap) wait = Math.min(wait, parseDuration(b.cap, 'backoff.cap'));
    return wait;
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error));
  }
}

export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

export function messageOf(error: unknown): string {
  if (error instanceof UnresolvedVariableError || error instanceof NodeError) return error.message;
  return error instanceof Error ? error.message : String(error);
}
