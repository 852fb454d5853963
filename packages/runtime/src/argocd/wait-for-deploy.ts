/**
 * Waits, through Argo CD's REST API, until an Application has synced a GitOps revision and is Healthy:
 * `GET /api/v1/applications/{name}` → `status.sync.{status,revision(s)}`, `status.health.status`,
 * `status.operationState`, and `status.resources[]` (each resource's health, Argo Rollouts among them:
 * Progressing while canary or blue-green steps and analysis run, Suspended on a pause, Degraded once aborted).
 * The first request asks for a refresh, so Argo CD notices the pushed commit without waiting for its poll.
 * With `contains`, a reported revision other than ours counts when it contains ours (a later push to the same
 * GitOps branch, e.g. another service of the same fan-out, is synced on top of it); one that does not (a
 * revert to an older revision, another branch) never counts.
 *
 * ```ts
 * await waitForDeploy({ server: 'https://argocd.acme.io', application: 'shop-api-staging', revision, token });
 * ```
 */
import { registerSecret } from '../redact.js';
import { RuntimeError } from '../runtime-error.js';

export interface WaitForDeployOptions {
  readonly server: string;
  readonly application: string;
  readonly appNamespace?: string | undefined;
  readonly revision: string;
  /** The repository the Application must deploy from (checked; a mismatch fails at once). */
  readonly gitopsUrl?: string | undefined;
  /**
   * Whether a reported revision contains `revision` (ours is its ancestor): asked only of a revision other
   * than ours that is Synced and Healthy, or Degraded. Without it only `revision` itself counts.
   */
  readonly contains?: ((reported: string) => Promise<boolean>) | undefined;
  /** Argo CD API token (an account's or a project role's JWT). */
  readonly token?: string | undefined;
  readonly timeoutMs?: number;
  readonly intervalMs?: number;
  readonly log?: (message: string) => void;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly now?: () => number;
}

export type Health = 'Healthy' | 'Degraded' | 'Progressing' | 'Suspended' | 'Missing' | 'Unknown';

export interface RolloutState {
  readonly name: string;
  readonly namespace: string;
  readonly health: string;
  readonly message: string;
}

export interface WaitForDeployResult {
  readonly health: Health;
  /** The revision Argo CD reports: ours, or a later one that contains it. */
  readonly revision: string;
  readonly rollouts: readonly RolloutState[];
  readonly polls: number;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const HEALTH = new Set(['Healthy', 'Degraded', 'Progressing', 'Suspended', 'Missing', 'Unknown']);
const normaliseRepo = (u: string): string => u.trim().toLowerCase().replace(/\/+$/, '').replace(/\.git$/, '').replace(/^https?:\/\//, '').replace(/^git@([^:]+):/, '$1/');

interface Snapshot {
  readonly revisions: readonly string[];
  readonly sync: string;
  readonly health: Health;
  readonly healthMessage: string;
  readonly operation: { phase: string; message: string; revision: string } | undefined;
  readonly rollouts: readonly RolloutState[];
  readonly repos: readonly string[];
}

function read(app: Obj): Snapshot {
  const status = isObj(app['status']) ? app['status'] : {};
  const sync = isObj(status['sync']) ? status['sync'] : {};
  const health = isObj(status['health']) ? status['health'] : {};
  const op = isObj(status['operationState']) ? status['operationState'] : undefined;
  const opSync = op && isObj(op['syncResult']) ? op['syncResult'] : {};
  const spec = isObj(app['spec']) ? app['spec'] : {};
  const sources = [spec['source'], ...(Array.isArray(spec['sources']) ? spec['sources'] : [])].filter(isObj);
  const h = String(health['status'] ?? 'Unknown');
  return {
    revisions: [sync['revision'], ...(Array.isArray(sync['revisions']) ? sync['revisions'] : [])].filter((r): r is string => typeof r === 'string'),
    sync: String(sync['status'] ?? 'Unknown'),
    health: (HEALTH.has(h) ? h : 'Unknown') as Health,
    healthMessage: String(health['message'] ?? ''),
    operation: op ? { phase: String(op['phase'] ?? ''), message: String(op['message'] ?? ''), revision: String(opSync['revision'] ?? '') } : undefined,
    rollouts: (Array.isArray(status['resources']) ? status['resources'] : [])
      .filter((r): r is Obj => isObj(r) && r['kind'] === 'Rollout' && r['group'] === 'argoproj.io')
      .map((r) => {
        const rh = isObj(r['health']) ? r['health'] : {};
        return { name: String(r['name'] ?? ''), namespace: String(r['namespace'] ?? ''), health: String(rh['status'] ?? 'Unknown'), message: String(rh['message'] ?? '') };
      }),
    repos: sources.map((s) => String(s['repoURL'] ?? '')),
  };
}

export async function waitForDeploy(options: WaitForDeployOptions): Promise<WaitForDeployResult> {
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const now = options.now ?? Date.now;
  const deadline = now() + (options.timeoutMs ?? 900_000);
  const interval = options.intervalMs ?? 10_000;
  if (options.token) registerSecret(options.token);
  const base = options.server.replace(/\/+$/, '');
  const name = options.application;
  const subject = `Argo CD Application "${name}"`;
  let polls = 0;
  let last: Snapshot | undefined;
  for (;;) {
    const query = new URLSearchParams();
    if (polls === 0) query.set('refresh', 'normal');
    if (options.appNamespace) query.set('appNamespace', options.appNamespace);
    const url = `${base}/api/v1/applications/${encodeURIComponent(name)}${query.size ? `?${query}` : ''}`;
    polls++;
    let response: Response;
    try {
      response = await fetch(url, { headers: { accept: 'application/json', ...(options.token ? { authorization: `Bearer ${options.token}` } : {}) } });
    } catch (error) {
      options.log?.(`${subject}: ${base} did not answer (${(error as Error).message}); retrying`);
      if (now() + interval > deadline) {
        throw new RuntimeError('RUN902', `${subject}: the Argo CD API at ${base} did not answer`, { hint: 'check the server URL and that this pod may reach it', cause: error });
      }
      await sleep(interval);
      continue;
    }
    if (response.status === 401 || response.status === 403) {
      throw new RuntimeError('RUN903', `${subject}: Argo CD refused the token (HTTP ${response.status})`, {
        hint: 'set ARGOTS_ARGOCD_TOKEN to a token of an account or project role that may get this Application',
      });
    }
    if (response.status === 404) {
      throw new RuntimeError('RUN904', `${subject} does not exist${options.appNamespace ? ` in namespace "${options.appNamespace}"` : ''}`, {
        hint: 'check the Application name (the org names them <service>-<env>) and --app-namespace',
      });
    }
    if (response.status >= 500) {
      await response.body?.cancel();
      options.log?.(`${subject}: Argo CD answered ${response.status}; retrying`);
    } else if (!response.ok) {
      throw new RuntimeError('RUN905', `${subject}: unexpected answer HTTP ${response.status}`, { hint: 'check the Argo CD server URL (the API root, without /api/v1)' });
    } else {
      const app = (await response.json()) as unknown;
      if (!isObj(app)) throw new RuntimeError('RUN905', `${subject}: expected an Application object, received ${JSON.stringify(app).slice(0, 80)}`, { hint: 'check the Argo CD server URL' });
      const s = read(app);
      last = s;
      if (options.gitopsUrl && !s.repos.some((r) => normaliseRepo(r) === normaliseRepo(options.gitopsUrl ?? ''))) {
        throw new RuntimeError('RUN906', `${subject} deploys from ${s.repos.join(', ') || 'no repository'}, not from ${options.gitopsUrl}`, {
          hint: 'the Application name does not belong to this service and environment; fix the name or the Application',
        });
      }
      const degraded = s.rollouts.filter((r) => r.health === 'Degraded');
      const isDegraded = s.health === 'Degraded' || degraded.length > 0;
      const done = s.sync === 'Synced' && s.health === 'Healthy' && s.rollouts.every((r) => r.health === 'Healthy');
      // Ours, or (when it is done or degraded) a later revision of the branch that contains ours.
      let at = s.revisions.includes(options.revision) ? options.revision : undefined;
      if (at === undefined && options.contains && (done || isDegraded)) {
        for (const r of s.revisions) if (await options.contains(r)) { at = r; break; }
      }
      const shown = (r: string): string => (r === options.revision ? r.slice(0, 12) : `${r.slice(0, 12)} (which contains ${options.revision.slice(0, 12)})`);
      if (at !== undefined && isDegraded) {
        const why = degraded.map((r) => `rollout ${r.namespace}/${r.name}: ${r.message || 'Degraded'}`).join('; ') || s.healthMessage || 'Degraded';
        throw new RuntimeError('RUN907', `${subject} at ${shown(at)} is Degraded: ${why}`, {
          hint: 'an aborted rollout (failed analysis) or failing pods; see the rollout with kubectl argo rollouts get rollout, fix forward with a new commit',
        });
      }
      if (s.operation && s.operation.revision === options.revision && (s.operation.phase === 'Failed' || s.operation.phase === 'Error')) {
        throw new RuntimeError('RUN908', `${subject}: the sync of ${options.revision.slice(0, 12)} ${s.operation.phase.toLowerCase()}: ${s.operation.message}`, {
          hint: 'see the sync result in Argo CD; a manifest Argo CD cannot apply stays there until fixed by a new commit',
        });
      }
      if (at !== undefined && done) {
        options.log?.(`${subject}: synced to ${shown(at)} and Healthy${s.rollouts.length ? ` (${s.rollouts.length} rollout${s.rollouts.length > 1 ? 's' : ''} done)` : ''}`);
        return { health: s.health, revision: at, rollouts: s.rollouts, polls };
      }
      options.log?.(`${subject}: ${s.sync} at ${(s.revisions[0] ?? 'no revision').slice(0, 12)}, ${s.health}${s.rollouts.map((r) => `; rollout ${r.name} ${r.health}${r.message ? ` (${r.message})` : ''}`).join('')}`);
    }
    if (now() + interval > deadline) {
      const state = last ? `${last.sync} at ${(last.revisions[0] ?? 'no revision').slice(0, 12)}, ${last.health}${last.rollouts.map((r) => `; rollout ${r.name} ${r.health}`).join('')}` : 'no answer';
      throw new RuntimeError('RUN901', `${subject}: not synced to ${options.revision.slice(0, 12)}${options.contains ? ' (or a later revision that contains it)' : ''} and Healthy in time (last: ${state})`, {
        hint: last?.health === 'Suspended' ? 'a rollout is paused waiting for a manual promotion; promote it, or raise --timeout-seconds' : 'raise --timeout-seconds, or check the Application in Argo CD',
      });
    }
    await sleep(interval);
  }
}
