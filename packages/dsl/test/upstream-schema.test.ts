// Every feature at once: a pipeline and friends using every builder, compiled with synth (which validates),
// then each emitted object checked against the upstream Argo Workflows JSON schema.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  and, artifact, clusterWorkflowTemplate, container, containerSet, cronWorkflow, dag, env, http, not, or, output, param,
  pipeline, resource, runtimeSteps, script, stepsTemplate, suspend, synth, templateRef, text, vars, workflow, workflowTemplate,
} from '@argots/dsl';
import { upstreamErrors } from './validate/_support/upstream-schema.js';

const rt = runtimeSteps({ image: 'registry.acme.io/argots-runtime:1.0.0' });
const lint = container('lint', {
  inputs: { src: artifact({ path: '/src', git: { repo: 'https://github.com/acme/shop.git', revision: 'main', depth: 1 } }) },
  outputs: { report: artifact({ path: '/tmp/lint.json', archive: { none: {} }, s3: { key: 'lint/{{workflow.name}}.json' } }) },
  container: { image: 'node:22-alpine', command: ['npm', 'run', 'lint'], workingDir: '/src', env: { CI: 'true', TOKEN: env.secret('npm', 'token'), CFG: env.configMap('ci', 'level'), POD: env.field('metadata.name') }, resources: { requests: { cpu: '500m', memory: '512Mi' } } },
}).with({ retryStrategy: { limit: 2, retryPolicy: 'OnError', backoff: { duration: '5s', factor: 2, maxDuration: '1m' } }, activeDeadlineSeconds: 900, nodeSelector: { pool: 'ci' }, tolerations: [{ key: 'ci', operator: 'Exists', effect: 'NoSchedule' }] });
const scan = script('scan', {
  inputs: { image: param.string() },
  outputs: { severity: output.path('/tmp/severity', { enum: ['none', 'high', 'critical'] }), count: output.path('/tmp/count') },
  script: (i) => ({ image: 'aquasec/trivy:0.56.2', command: ['sh'], source: text`trivy image --exit-code 1 --severity HIGH,CRITICAL ${i.image}\n` }),
}).with({ synchronization: { semaphores: [{ configMapKeyRef: { name: 'limits', key: 'scan' } }] }, memoize: { key: '{{inputs.parameters.image}}', maxAge: '24h', cache: { configMap: { name: 'scan-cache' } } }, metrics: { prometheus: [{ name: 'scan_total', help: 'Scans', counter: { value: '1' } }] } });
const smoke = resource('smoke', {
  inputs: { image: param.string() },
  outputs: { job: output.jsonPath('{.metadata.name}') },
  resource: (i) => ({ action: 'create', setOwnerReference: true, successCondition: 'status.succeeded > 0', failureCondition: 'status.failed > 0',
    manifest: { apiVersion: 'batch/v1', kind: 'Job', metadata: { generateName: 'smoke-' }, spec: { backoffLimit: 0, template: { spec: { restartPolicy: 'Never', containers: [{ name: 'smoke', image: i.image }] } } } } }),
});
const approve = suspend('approve', { outputs: { answer: output.supplied({ enum: ['yes', 'no'] }) } });
const pause = suspend('pause', { duration: '30s' });
const ping = http('ping', { http: { url: 'https://shop.acme.io/healthz', successCondition: 'response.statusCode == 200', timeoutSeconds: 20 } });
const set = containerSet('unit', { outputs: { result: output.path('/tmp/unit') }, containerSet: { containers: [{ name: 'deps', image: 'node:22', command: ['npm', 'ci'] }, { name: 'main', image: 'node:22', command: ['npm', 'test'], dependencies: ['deps'] }] } });
const shared = templateRef({ name: 'shared-tools', template: 'notify', clusterScope: true, inputs: { message: param.string() } });
const notify = container('notify', { inputs: { message: param.string() }, container: (i) => ({ image: 'curlimages/curl:8.10.1', args: ['-d', i.message, 'https://hooks.acme.io'] }) });
const fanout = dag('fan-out', { inputs: { image: param.string() }, outputs: { first: output.returned() } }, (d, inputs) => {
  const a = d.task('region', (item) => notify.call({ message: text`${inputs.image} to ${item.get('region')}` }), { withItems: [{ region: 'eu' }, { region: 'us' }] });
  d.task('seq', (i) => notify.call({ message: i }), { withSequence: { count: '2' }, depends: a.anySucceeded });
  return { first: a.result };
});
const coin = stepsTemplate('coin', {}, (s) => {
  const f = s.step('flip', scan.call({ image: 'alpine:3.20' }));
  s.parallel((g) => {
    g.step('high', notify.call({ message: 'high' }), { when: f.outputs.severity.eq('high') });
    g.step('other', notify.call({ message: f.outputs.count }), { when: f.outputs.severity.ne('high'), continueOn: { failed: true } });
  });
});

const shop = pipeline('shop-api-dev', {
  serviceAccountName: 'ci', podGC: { strategy: 'OnPodSuccess' }, ttlStrategy: { secondsAfterCompletion: 3600 }, archiveLogs: true,
  parallelism: 5, priority: 10, labels: { team: 'shop' }, annotations: { owner: 'platform' }, imagePullSecrets: [{ name: 'regcred' }],
  volumeClaimTemplates: [{ metadata: { name: 'work' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }],
  securityContext: { runAsNonRoot: true, runAsUser: 1000 }, synchronization: { mutexes: [{ name: 'shop-api-dev' }] },
  podMetadata: { labels: { app: 'shop' } }, activeDeadlineSeconds: 7200,
}, (p) => {
  const sha = p.param('sha', param.string({ description: 'Commit to build.' }));
  const env = p.param('env', param.enum(['dev', 'staging'], { default: 'dev' }));
  const change = p.task('detect', rt.detectChanges({ repo: '/work/src', before: sha, after: sha }));
  const l = p.task('lint', lint, { when: change.outputs.kind.eq('code') });
  const u = p.task('unit', set, { when: change.outputs.kind.eq('code') });
  const s = p.task('scan', scan.call({ image: text`registry.acme.io/shop/api:${sha}` }), { depends: and(l.succeeded, u.succeeded) });
  const gate = p.task('approve', approve, { when: and(s.outputs.severity.ne('critical'), env.eq('staging')) });
  p.task('pause', pause, { depends: or(gate.succeeded, gate.skipped) });
  p.task('smoke', smoke.call({ image: text`registry.acme.io/shop/api:${sha}` }), { depends: not(gate.failed), when: gate.outputs.answer.eq('yes') });
  p.task('ping', ping, { after: [s] });
  p.task('fan', fanout.call({ image: sha }), { after: [s] });
  p.task('coin', coin, { after: [s] });
  p.task('shared', shared.call({ message: vars.workflowName }), { after: [s] });
  p.task('deploy', rt.updateManifests({ gitopsUrl: 'https://git.acme.io/gitops.git', service: 'shop-api', env: 'dev', image: s.outputs.count, sourceCommit: sha }), {
    hooks: { running: { template: notify.call({ message: 'deploying' }), expression: s.outputs.severity.eq('none') } },
    onExit: notify.call({ message: 'deployed' }),
  });
  p.onExit(notify.call({ message: text`${vars.workflowName}: ${vars.workflowStatus}` }));
});

test('given every builder in one set of resources, then synth reports nothing and the upstream schema accepts every object', () => {
  const values = [
    shop,
    clusterWorkflowTemplate('shared-tools', { templates: [notify.named('notify')] }),
    workflowTemplate('library', { templates: [lint, scan, smoke] }),
    cronWorkflow('nightly-scan', { schedules: ['0 3 * * *', '30 12 * * 1-5'], timezone: 'Europe/Paris', concurrencyPolicy: 'Replace', startingDeadlineSeconds: 120, successfulJobsHistoryLimit: 2, failedJobsHistoryLimit: 4, workflowTemplateRef: shop, arguments: { sha: 'main' } }),
    workflow({ generateName: 'shop-run-' }, { workflowTemplateRef: shop, arguments: { sha: 'abc' } }),
  ];
  const r = synth(values.map((value, i) => ({ value, exportName: `e${i}`, file: 'kitchen-sink.ts' })));
  assert.equal(r.diagnostics, []);
  assert.is(r.files.length, 5);
  for (const f of r.files) assert.equal(upstreamErrors(f.object), [], f.path);
});

test.run();
