// A DAG pipeline that rolls one image out to several regions: a containerSet runs the database
// migration (wait for the database, then migrate, in one pod), a task per region (`withItems` over
// objects), an HTTP health check per region (http template), and a rollback that runs only when
// something failed (`depends` with or/not). Shows pod placement (nodeSelector, tolerations, affinity),
// init containers, podSpecPatch, template labels/annotations, env from a ConfigMap and a pod field, a
// timed suspend (bake time), a daemon (Daemoned result), workflow metrics, a workflow mutex, parallelism, priority, and the escape hatch (`.with(...)` on templates and pipelines for fields the builders do not name).
import { and, containerSet, container, env, github, http, not, or, param, pipeline, suspend } from '@argots/dsl';

const REGIONS = [
  { name: 'eu-west-1', cluster: 'prod-eu', url: 'https://eu.shop.acme.io' },
  { name: 'us-east-1', cluster: 'prod-us', url: 'https://us.shop.acme.io' },
  { name: 'ap-southeast-1', cluster: 'prod-ap', url: 'https://ap.shop.acme.io' },
];

const migrate = containerSet('migrate-database', {
  inputs: { image: param.string({ description: 'The application image, which carries its migrations.' }) },
  containerSet: (i) => ({
    volumeMounts: [{ name: 'scratch', mountPath: '/scratch' }],
    retryStrategy: { retries: 2, duration: '20s' },
    containers: [
      { name: 'wait-for-db', image: 'postgres:16-alpine', command: ['pg_isready', '--timeout=120'], env: { PGHOST: 'shop-db.prod.svc', PGPORT: '5432' } },
      {
        name: 'main',
        image: i.image,
        command: ['/app/migrate', 'up'],
        dependencies: ['wait-for-db'],
        env: { DATABASE_URL: env.secret('shop-db', 'url') },
      },
    ],
  }),
  fields: { volumes: [{ name: 'scratch', emptyDir: {} }] },
});

const rollout = container('rollout', {
  inputs: { region: param.string(), cluster: param.string(), image: param.string() },
  container: (i) => ({
    image: 'ghcr.io/acme/deployer:3.2.0',
    args: ['rollout', '--cluster', i.cluster, '--region', i.region, '--image', i.image, '--wait'],
    env: { LOG_LEVEL: env.configMap('deployer-settings', 'log-level', { optional: true }), NODE_NAME: env.field('spec.nodeName') },
    resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } },
    volumeMounts: [{ name: 'kubeconfigs', mountPath: '/etc/kubeconfigs', readOnly: true }],
  }),
  fields: {
    metadata: { labels: { 'acme.io/step': 'rollout' }, annotations: { 'acme.io/runbook': 'https://runbooks.acme.io/rollout' } },
    nodeSelector: { 'kubernetes.io/arch': 'amd64', 'acme.io/pool': 'deployers' },
    tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'deployers', effect: 'NoSchedule' }],
    affinity: {
      podAntiAffinity: {
        preferredDuringSchedulingIgnoredDuringExecution: [
          { weight: 100, podAffinityTerm: { topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: { 'acme.io/step': 'rollout' } } } },
        ],
      },
    },
    initContainers: [{ name: 'fetch-kubeconfigs', image: 'ghcr.io/acme/vault-fetch:1.0.4', args: ['--out', '/etc/kubeconfigs'], mirrorVolumeMounts: true }],
    volumes: [{ name: 'kubeconfigs', emptyDir: { medium: 'Memory' } }],
    podSpecPatch: '{"terminationGracePeriodSeconds": 120}',
    activeDeadlineSeconds: 1800,
  },
});

const healthCheck = http('health-check', {
  inputs: { url: param.string() },
  http: (i) => ({
    url: i.url,
    method: 'GET',
    successCondition: 'response.statusCode == 200',
    timeoutSeconds: 10,
  }),
  fields: { retryStrategy: { limit: 5, backoff: { duration: '10s', factor: 2 } } },
});

/** Synthetic traffic kept flowing while the regions are verified: a daemon, stopped when the DAG ends. */
const syntheticTraffic = container('synthetic-traffic', {
  container: {
    image: 'grafana/k6:0.54.0',
    args: ['run', '--vus', '5', '--duration', '1h', '/scripts/browse.js'],
    readinessProbe: { httpGet: { path: '/v1/status', port: 6565 }, initialDelaySeconds: 2 },
  },
}).with({ daemon: true });

/** Let the canary take real traffic for a while before checking every region (resumes by itself). */
const bakeTime = suspend('bake-time', { duration: '10m' });

const rollback = container('rollback', {
  inputs: { image: param.string() },
  container: (i) => ({ image: 'ghcr.io/acme/deployer:3.2.0', args: ['rollback', '--all-regions', '--from', i.image] }),
})
  // Escape hatch: any Argo template field, typed by Argo's model, even ones no builder names.
  .with({ priorityClassName: 'deploy-critical', timeout: '15m' });

export default pipeline('multi-region-deploy', {
  serviceAccountName: 'deployer',
  parallelism: 2,
  priority: 100,
  synchronization: { mutexes: [{ name: 'prod-rollout' }] },
  podMetadata: { labels: { 'acme.io/pipeline': 'multi-region-deploy' } },
  metrics: {
    prometheus: [
      { name: 'rollout_duration_seconds', help: 'Duration of a multi-region rollout.', labels: [{ key: 'status', value: '{{workflow.status}}' }], gauge: { value: '{{workflow.duration}}', realtime: false } },
    ],
  },
  failFast: false,
}, (p) => {
  const { version } = p.trigger(github.tagPushed({ repo: 'acme/shop', pattern: 'v*' }), (e) => ({ version: e.ref }), { serviceAccountName: 'argo-events-sensor' });
  const image = p.param('image', param.string({ default: 'registry.prod.acme.io/shop/shop-api:latest', description: 'Image to roll out, by digest.' }));
  const strategy = p.param('strategy', param.enum(['all-at-once', 'canary'], { default: 'canary', description: 'canary stops after the first region.' }));

  const db = p.task('migrate', migrate.call({ image }));
  const regions = p.task('rollout', (region) => rollout.call({ region: region.get('name'), cluster: region.get('cluster'), image }), {
    withItems: REGIONS,
    after: [db],
    when: strategy.eq('all-at-once'),
  });
  const canary = p.task('rollout-canary', rollout.call({ region: 'eu-west-1', cluster: 'prod-eu', image }), {
    after: [db],
    when: strategy.eq('canary'),
  });
  const baked = p.task('bake-time', bakeTime, { depends: canary.succeeded });
  const traffic = p.task('synthetic-traffic', syntheticTraffic, { after: [db] });
  const verify = p.task('verify', (region) => healthCheck.call({ url: region.get('url') }), {
    withItems: REGIONS,
    depends: and(or(regions.succeeded, baked.succeeded), traffic.daemoned),
  });
  p.task('rollback', rollback.call({ image }), {
    depends: or(db.failed, db.errored, regions.failed, canary.failed, verify.allFailed, not(or(verify.succeeded, verify.skipped, verify.omitted))),
  });
  p.task('announce', rollout.call({ region: 'global', cluster: 'status-page', image: version }), {
    depends: and(verify.anySucceeded, not(regions.errored)),
  });
})
  // Escape hatch on the resource: WorkflowSpec fields, typed by Argo's model.
  .with({ activeDeadlineSeconds: 7200, archiveLogs: true, annotations: { 'acme.io/owner': 'sre' } });
