/**
 * Suspend, HTTP and resource templates.
 * - suspend (docs/intermediate-inputs.md, walk-through/suspending.md): a duration sleeps; an open one waits for
 *   `--approve NODE` (or the TTY prompt); outputs with `valueFrom.supplied` take the supplied values, else their
 *   `valueFrom.default`.
 * - http (docs/http-template.md): the request runs for real; `successCondition` is an expression over
 *   `request.*`/`response.*`; without one, a 2xx status succeeds; `outputs.result` is the body.
 * Resource templates are in resource-template.ts.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { argoExpressionEnv, evaluateExprLang, parseExprLang } from '@argots/expr';
import type { RunNode } from '../model/node.js';
import type { Template } from '../model/workflow.js';
import type { Scope } from '../variables/scope.js';
import { parseDuration } from './durations.js';
import { messageOf, sleep } from './workflow-run.js';
import type { WorkflowRun } from './workflow-run.js';

function approvalFor(run: WorkflowRun, node: RunNode): Readonly<Record<string, string>> | undefined {
  const approvals = run.options.approvals;
  if (!approvals) return undefined;
  return approvals.get(node.name) ?? approvals.get(node.displayName) ?? approvals.get(node.name.slice(run.name.length + 1));
}

export async function executeSuspend(run: WorkflowRun, node: RunNode, tmpl: Template, _scope: Scope, signal: AbortSignal): Promise<void> {
  run.markStarted(node);
  const supplied = (tmpl.outputs?.parameters ?? []).filter((p) => p.valueFrom?.supplied !== undefined);
  const duration = tmpl.suspend?.duration;
  let values: Readonly<Record<string, string>> = {};
  if (duration !== undefined && String(duration) !== '') {
    let ms: number;
    try {
      ms = parseDuration(duration, 'suspend.duration');
    } catch (error) {
      run.setPhase(node, 'Error', messageOf(error));
      return;
    }
    node.message = `suspended for ${duration}`;
    run.emit({ type: 'node', node });
    const approval = approvalFor(run, node);
    if (approval) values = approval;
    else await sleep(ms, signal);
  } else {
    const approval = approvalFor(run, node);
    if (approval) values = approval;
    else if (run.options.onSuspend) {
      node.message = 'waiting for approval';
      run.emit({ type: 'node', node });
      const answer = await Promise.race([run.options.onSuspend(node, supplied), new Promise<'stopped'>((r) => signal.addEventListener('abort', () => r('stopped'), { once: true }))]);
      if (answer === 'stopped') return;
      if (answer === 'reject') {
        run.setPhase(node, 'Failed', 'rejected');
        return;
      }
      values = answer;
    } else {
      run.setPhase(node, 'Failed', `suspended with no duration and nobody to resume it: pass --approve "${node.displayName}" (on a terminal, argots run asks)`);
      return;
    }
  }
  if (signal.aborted) return;
  const parameters: { name: string; value: string }[] = [];
  for (const p of tmpl.outputs?.parameters ?? []) {
    const v = values[p.name] ?? p.valueFrom?.default ?? (p.value !== undefined ? String(p.value) : undefined);
    if (v === undefined) {
      run.setPhase(node, 'Error', `output parameter "${p.name}" was not supplied (pass --approve "${node.displayName}:${p.name}=VALUE")`);
      return;
    }
    if (p.enum && p.enum.length > 0 && !p.enum.includes(v)) {
      run.setPhase(node, 'Error', `output parameter "${p.name}": "${v}" is not one of ${JSON.stringify(p.enum)}`);
      return;
    }
    parameters.push({ name: p.name, value: v });
    if (p.globalName) run.setGlobalParameter(p.globalName, v);
  }
  node.outputs = { parameters, artifacts: [] };
  run.setPhase(node, 'Succeeded', '');
}

export async function executeHttp(run: WorkflowRun, node: RunNode, tmpl: Template, _scope: Scope, signal: AbortSignal): Promise<void> {
  const h = tmpl.http;
  if (!h) return;
  run.markStarted(node);
  const method = (h.method ?? 'GET').toUpperCase();
  const headers: Record<string, string> = {};
  for (const x of h.headers ?? []) headers[x.name] = x.value ?? '';
  const timeout = AbortSignal.timeout((h.timeoutSeconds ?? 30) * 1000);
  let status: number;
  let body: string;
  let responseHeaders: Record<string, string[]>;
  try {
    const response = await fetch(h.url, { method, headers, ...(h.body !== undefined && method !== 'GET' && method !== 'HEAD' ? { body: h.body } : {}), signal: AbortSignal.any([signal, timeout]) });
    status = response.status;
    body = await response.text();
    responseHeaders = {};
    response.headers.forEach((v, k) => (responseHeaders[k] = [v]));
  } catch (error) {
    run.setPhase(node, 'Failed', `${method} ${h.url}: ${messageOf(error)}`);
    return;
  }
  writeFileSync(join(run.nodeDir(node), 'response.txt'), body);
  node.outputs = { parameters: [], artifacts: [], result: body };
  let ok: boolean;
  if (h.successCondition) {
    const env = argoExpressionEnv({ 'request.method': method, 'request.url': h.url, 'request.body': h.body ?? '', 'response.body': body });
    (env['request'] as Record<string, unknown>)['headers'] = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, [v]]));
    (env['response'] as Record<string, unknown>)['statusCode'] = BigInt(status);
    (env['response'] as Record<string, unknown>)['headers'] = responseHeaders;
    try {
      ok = evaluateExprLang(parseExprLang(h.successCondition), env) === true;
    } catch (error) {
      run.setPhase(node, 'Error', `successCondition: ${messageOf(error)}`);
      return;
    }
  } else ok = status >= 200 && status < 300;
  run.setPhase(node, ok ? 'Succeeded' : 'Failed', ok ? '' : `${method} ${h.url} answered ${status}${h.successCondition ? `; successCondition "${h.successCondition}" is false` : ''}`);
}
