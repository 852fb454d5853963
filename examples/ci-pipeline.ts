// The full CI/CD pipeline, in the shape of the GitHub Actions workflow it replaces: on a push to main,
// check out → lint ∥ unit tests → rootless BuildKit build and push → trivy scan (fails on HIGH/CRITICAL,
// via a templateRef into the security-scans ClusterWorkflowTemplate) → update the staging manifests
// (runtime step) → smoke test as a Kubernetes Job (resource template with success/failure conditions) →
// manual approval (suspend) → promote by digest to prod and update the prod manifests. An exit handler
// (http template) reports the outcome.
import {
  and, artifact, container, env, github, http, output, param, pipeline, resource, suspend, templateRef, text,
} from '@argots/dsl';
import { buildkitBuild } from '../pipelines/lib/buildkit.js';
import { checkout } from '../pipelines/lib/checkout.js';
import { APP_GIT_URL, APP_REPO, GITOPS_URL, ORG_PIPELINE, REGISTRIES, SENSOR, SOURCE_DIR, WORKSPACE, steps } from '../pipelines/lib/org.js';

const node = (name: string, script: string, outputs = {}) =>
  container(name, {
    outputs,
    container: {
      image: 'node:22.11-alpine',
      command: ['sh', '-c', script],
      workingDir: SOURCE_DIR,
      env: { CI: 'true', npm_config_cache: '/tmp/npm', POD_NAME: env.field('metadata.name') },
      resources: { requests: { cpu: '500m', memory: '1Gi' }, limits: { memory: '2Gi' } },
      volumeMounts: [{ name: 'workspace', mountPath: WORKSPACE }],
    },
    fields: { activeDeadlineSeconds: 900 },
  });

const lint = node('lint', 'npm ci --no-audit && npm run lint');
const unitTests = node('unit-tests', 'npm ci --no-audit && npm test -- --reporter=junit --reporter-option output=/tmp/junit.xml', {
  junit: artifact({
    path: '/tmp/junit.xml',
    s3: { bucket: 'acme-ci-reports', key: 'junit/{{workflow.name}}.xml.tgz', endpoint: 's3.eu-west-1.amazonaws.com', accessKeySecret: { name: 's3-ci', key: 'access-key' }, secretKeySecret: { name: 's3-ci', key: 'secret-key' } },
    archive: { tar: {} },
  }),
});

const build = buildkitBuild({ env: 'staging' });

/** The scan lives in a ClusterWorkflowTemplate (examples/security-templates.ts): typed here by its inputs. */
const scan = templateRef({
  name: 'security-scans',
  template: 'trivy-scan',
  clusterScope: true,
  inputs: { image: param.string(), severity: param.string({ default: 'HIGH,CRITICAL' }) },
});

/** The smoke test: a Job against staging; the step succeeds when the Job does, fails when a pod fails. */
const smokeTest = resource('smoke-test', {
  inputs: { image: param.string(), url: param.string() },
  resource: (i) => ({
    action: 'create',
    setOwnerReference: true,
    successCondition: 'status.succeeded > 0',
    failureCondition: 'status.failed > 0',
    manifest: {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { generateName: 'shop-api-smoke-', labels: { 'acme.io/smoke-test': 'true' } },
      spec: {
        backoffLimit: 0,
        ttlSecondsAfterFinished: 600,
        template: {
          spec: {
            restartPolicy: 'Never',
            containers: [{ name: 'smoke', image: i.image, command: ['/app/smoke-test'], args: ['--base-url', i.url] }],
          },
        },
      },
    },
  }),
  outputs: { job: output.jsonPath('{.metadata.name}', { description: 'The Job created.' }) },
  fields: { activeDeadlineSeconds: 600 },
});

/** The manual gate: `argo resume` (or the UI) answers approve or reject. */
const approve = suspend('approve-production', {
  outputs: { decision: output.supplied({ enum: ['approve', 'reject'], description: 'The approver\'s answer.' }) },
});

/** Reports the outcome; `{{workflow.status}}` is filled by Argo when the exit handler runs. */
const notify = http('notify', {
  http: {
    url: 'https://hooks.acme.io/ci',
    method: 'POST',
    headers: [{ name: 'Content-Type', value: 'application/json' }, { name: 'Authorization', valueFrom: { secretKeyRef: { name: 'ci-hooks', key: 'token' } } }],
    body: '{"workflow": "{{workflow.name}}", "status": "{{workflow.status}}"}',
    successCondition: 'response.statusCode >= 200 && response.statusCode < 300',
    timeoutSeconds: 20,
  },
});

export default pipeline('ci-pipeline', { ...ORG_PIPELINE, archiveLogs: true, imagePullSecrets: [{ name: 'ghcr-read' }] }, (p) => {
  const { commit } = p.trigger(github.push({ repo: APP_REPO, branches: ['main'] }), (e) => ({ commit: e.after }), SENSOR);
  const service = p.param('service', param.string({ default: 'shop-api', description: 'Service to build.' }));
  const stagingUrl = p.param('staging-url', param.string({ default: 'https://shop-api.staging.acme.io', description: 'Where the smoke test points.' }));

  const src = p.task('checkout', checkout.call({ url: APP_GIT_URL, revision: commit }));
  const lintTask = p.task('lint', lint, { after: [src] });
  const tests = p.task('unit-tests', unitTests, { after: [src] });
  const image = p.task('build', build.call({ context: SOURCE_DIR, image: text`${REGISTRIES.staging}/${service}:${commit}` }), {
    depends: and(lintTask.succeeded, tests.succeeded),
  });
  const scanned = p.task('scan', scan.call({ image: image.outputs.imageRef }));
  const staged = p.task('update-staging-manifests', steps.updateManifests({ gitopsUrl: GITOPS_URL, service, env: 'staging', image: image.outputs.imageRef, sourceCommit: commit }), {
    depends: scanned.succeeded,
  });
  const smoke = p.task('smoke-test', smokeTest.call({ image: image.outputs.imageRef, url: stagingUrl }), { depends: staged.succeeded });
  const gate = p.task('approve-production', approve, { depends: smoke.succeeded });
  const approved = gate.outputs.decision.eq('approve');
  const promoted = p.task('promote', steps.promote({ image: image.outputs.imageRef, from: 'staging', to: 'prod' }), { when: approved });
  p.task('update-prod-manifests', steps.updateManifests({ gitopsUrl: GITOPS_URL, service, env: 'prod', image: promoted.outputs.reference, sourceCommit: commit }), {
    when: approved,
  });
  p.onExit(notify);
});
