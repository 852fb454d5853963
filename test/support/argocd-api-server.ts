/**
 * Test support: the slice of Argo CD's REST API that `wait-for-deploy` reads, on loopback:
 * `GET /api/v1/applications/{name}` (bearer token required; `?refresh=normal` counted) answering an
 * Application with `spec.source.repoURL`, `status.sync.{status,revision}`, `status.health.status` and
 * `status.resources[]` (Argo Rollouts with their health). A test scripts what Argo CD reports over time:
 * each GET takes the next state of the Application's script (the last one repeats), as a controller would
 * move from OutOfSync → Synced/Progressing (a canary stepping) → Healthy or Degraded (an aborted rollout).
 * Or an Application follows its repository (`followRepository`): each GET answers Synced and Healthy at the
 * revision the repository's branch points to then, as an auto-syncing Argo CD would — with `lagGets`
 * answers still at the revision before (a sync takes a moment).
 */
import { createServer } from 'node:http';

export interface RolloutReport {
  readonly name: string;
  readonly namespace?: string;
  readonly health: 'Healthy' | 'Progressing' | 'Suspended' | 'Degraded';
  readonly message?: string;
}

export interface ApplicationState {
  readonly revision: string;
  readonly sync: 'Synced' | 'OutOfSync';
  readonly health: 'Healthy' | 'Progressing' | 'Degraded' | 'Suspended' | 'Missing';
  readonly rollouts?: readonly RolloutReport[];
  readonly operation?: { readonly phase: 'Running' | 'Succeeded' | 'Failed' | 'Error'; readonly message?: string };
}

export interface ArgoCdServer {
  readonly url: string;
  /** Declares an Application deploying from `repoURL` and what successive GETs report. */
  setApplication(name: string, repoURL: string, states: readonly ApplicationState[]): void;
  /** Declares an Application synced to whatever `head()` (the tip of the branch it watches) returns at each GET. */
  followRepository(name: string, repoURL: string, head: () => Promise<string>, options?: { readonly lagGets?: number }): void;
  /** Revisions each Application was reported at, in order (for "nothing moved backwards"). */
  readonly reported: ReadonlyMap<string, readonly string[]>;
  readonly stats: { gets: number; refreshes: number; unauthorized: number };
  close(): Promise<void>;
}

export async function startArgoCdServer(options: { readonly token: string }): Promise<ArgoCdServer> {
  const apps = new Map<string, { repoURL: string; states: readonly ApplicationState[]; served: number }>();
  const followers = new Map<string, { repoURL: string; head: () => Promise<string>; lagGets: number; last: string | undefined; sinceChange: number }>();
  const reported = new Map<string, string[]>();
  const stats = { gets: 0, refreshes: 0, unauthorized: 0 };
  const server = createServer((req, res) => void answer(req, res));
  const answer = async (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const send = (status: number, body: unknown): void => void res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    if (req.headers.authorization !== `Bearer ${options.token}`) {
      stats.unauthorized++;
      return send(401, { error: 'invalid session: token signature is invalid', code: 16, message: 'invalid session: token signature is invalid' });
    }
    const m = /^\/api\/v1\/applications\/([^/]+)$/.exec(url.pathname);
    if (!m || req.method !== 'GET') return send(404, { error: 'Not Found', code: 5, message: 'Not Found' });
    const name = decodeURIComponent(m[1] ?? '');
    const follower = followers.get(name);
    if (follower) {
      const head = await follower.head();
      // A new head is reported only after lagGets answers at the previous one (Argo CD polls and syncs).
      if (head !== follower.last) follower.sinceChange++;
      const shown = head !== follower.last && follower.last !== undefined && follower.sinceChange <= follower.lagGets ? follower.last : head;
      if (shown === head) { follower.last = head; follower.sinceChange = 0; }
      stats.gets++;
      if (url.searchParams.get('refresh')) stats.refreshes++;
      reported.set(name, [...(reported.get(name) ?? []), shown]);
      apps.set(name, { repoURL: follower.repoURL, states: [{ revision: shown, sync: 'Synced', health: 'Healthy' }], served: 0 });
    }
    const app = apps.get(name);
    if (!app) return send(404, { error: `applications.argoproj.io "${name}" not found`, code: 5, message: `applications.argoproj.io "${name}" not found` });
    if (!follower) {
      stats.gets++;
      if (url.searchParams.get('refresh')) stats.refreshes++;
    }
    const state = app.states[Math.min(app.served, app.states.length - 1)] as ApplicationState;
    app.served++;
    return send(200, {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: { name, namespace: 'argocd' },
      spec: { project: 'default', source: { repoURL: app.repoURL, path: `apps/${name}`, targetRevision: 'main' }, destination: { server: 'https://kubernetes.default.svc', namespace: name } },
      status: {
        sync: { status: state.sync, revision: state.revision },
        health: { status: state.health },
        resources: (state.rollouts ?? []).map((r) => ({ group: 'argoproj.io', version: 'v1alpha1', kind: 'Rollout', namespace: r.namespace ?? name, name: r.name, status: state.sync, health: { status: r.health, ...(r.message ? { message: r.message } : {}) } })),
        ...(state.operation ? { operationState: { phase: state.operation.phase, message: state.operation.message ?? '', syncResult: { revision: state.revision } } } : {}),
      },
    });
  };
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    setApplication(name, repoURL, states) {
      apps.set(name, { repoURL, states, served: 0 });
    },
    followRepository(name, repoURL, head, options = {}) {
      followers.set(name, { repoURL, head, lagGets: options.lagGets ?? 0, last: undefined, sinceChange: 0 });
    },
    reported,
    stats,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
