// After a manifest change: how is the service deployed in this environment (`detect-deploy`)? Then the
// matching task checks the change — Kustomize: the overlay still renders; Helm: the chart renders with
// the values file; Argo CD Application: ask Argo CD to refresh the Application now. One task per file the
// runtime reports (`withParam` over its JSON list).
import { container, dag, http, param, text } from '@argots/dsl';
import { checkout } from './checkout.js';
import { GITOPS_URL, WORKSPACE, steps } from './org.js';

export const GITOPS_DIR = '/workspace/gitops';

const k8sTools = (name: string, script: string) =>
  container(name, {
    inputs: { file: param.string({ description: 'A manifest file that sets the image, inside the GitOps checkout.' }) },
    container: (i) => ({
      image: 'alpine/k8s:1.31.2',
      command: ['sh', '-c', script, name],
      args: [i.file],
      volumeMounts: [{ name: 'workspace', mountPath: WORKSPACE, readOnly: true }],
      resources: { requests: { cpu: '100m', memory: '128Mi' } },
      securityContext: { runAsNonRoot: true, runAsUser: 65532, allowPrivilegeEscalation: false },
    }),
  });

const renderKustomize = k8sTools('render-kustomize', 'kubectl kustomize "$(dirname "$1")" > /dev/null');
const renderHelm = k8sTools('render-helm', 'helm template check "$(dirname "$1")" --values "$1" > /dev/null');

const refreshApplication = http('refresh-application', {
  inputs: { application: param.string() },
  http: (i) => ({
    url: text`https://argocd.acme.io/api/v1/applications/${i.application}?refresh=normal`,
    method: 'GET',
    headers: [{ name: 'Authorization', valueFrom: { secretKeyRef: { name: 'argocd-api', key: 'bearer' } } }],
    successCondition: 'response.statusCode == 200',
    timeoutSeconds: 30,
  }),
});

/** Checks out the GitOps repository at `revision`, detects the deployment kind and verifies the change. */
export const verifyDeploy = dag(
  'verify-deploy',
  {
    inputs: {
      service: param.string(),
      env: param.string(),
      revision: param.string({ default: 'main', description: 'GitOps commit or branch to verify.' }),
    },
  },
  (d, i) => {
    const clone = d.task('checkout-gitops', checkout.call({ url: GITOPS_URL, revision: i.revision, dir: GITOPS_DIR }));
    const how = d.task('detect-deploy', steps.detectDeploy({ gitops: GITOPS_DIR, service: i.service, env: i.env }), { after: [clone] });
    d.task('kustomize', (file) => renderKustomize.call({ file: text`${GITOPS_DIR}/${file}` }), {
      withParam: how.outputs.files,
      when: how.outputs.kind.eq('kustomize'),
    });
    d.task('helm', (file) => renderHelm.call({ file: text`${GITOPS_DIR}/${file}` }), {
      withParam: how.outputs.files,
      when: how.outputs.kind.eq('helm'),
    });
    d.task('argocd-application', refreshApplication.call({ application: text`${i.service}-${i.env}` }), {
      when: how.outputs.kind.eq('argocd-application'),
    });
  },
);
