// Dev build (a feature/* branch merged into dev): check out the pushed commit, classify the change; code →
// detect how the service builds, build it (Dockerfile or bake), push to the dev registry and set the new
// digest in the dev manifests; configuration only → no build, copy the configuration to dev's folder.
// Either way the deployment kind (Helm, Kustomize, Argo CD Application) is detected and verified.
import { github, or, param, pipeline } from '@argots/dsl';
import { buildImage } from './lib/build-image.js';
import { checkout } from './lib/checkout.js';
import { verifyDeploy } from './lib/verify-deploy.js';
import { APP_GIT_URL, APP_REPO, GITOPS_URL, ORG_PIPELINE, REGISTRIES, SENSOR, SOURCE_DIR, steps } from './lib/org.js';

const build = buildImage({ registry: REGISTRIES.dev, registrySecret: 'registry-dev-push' });

export default pipeline('dev-build', { ...ORG_PIPELINE, synchronization: { mutexes: [{ name: 'gitops-dev' }] } }, (p) => {
  const { before, after } = p.trigger(github.push({ repo: APP_REPO, branches: ['dev'] }), (e) => ({ before: e.before, after: e.after }), SENSOR);
  const service = p.param('service', param.string({ default: 'shop-api', description: 'Service to build and deploy.' }));
  const context = p.param('context', param.string({ default: 'services/shop-api', description: 'Directory of the service.' }));

  const src = p.task('checkout', checkout.call({ url: APP_GIT_URL, revision: after }));
  const change = p.task('detect-changes', steps.detectChanges({ repo: SOURCE_DIR, before, after, defaultBranch: 'dev' }), { after: [src] });

  const code = change.outputs.kind.eq('code');
  const image = p.task('build', build.call({ service, context, tag: after }), { when: code });
  const updated = p.task('update-dev-manifests', steps.updateManifests({ gitopsUrl: GITOPS_URL, service, env: 'dev', image: image.outputs.imageRef, sourceCommit: after }), { when: code });

  const copied = p.task('copy-config', steps.copyConfig({
    repo: SOURCE_DIR, gitopsUrl: GITOPS_URL, service, env: 'dev',
    files: change.outputs.configFiles, deleted: change.outputs.deletedConfigFiles, sourceCommit: after,
  }), { when: change.outputs.kind.eq('config') });

  // Helm, Kustomize or an Argo CD Application: detected in the GitOps repository, checked accordingly.
  p.task('verify-deploy', verifyDeploy.call({ service, env: 'dev' }), { depends: or(updated.succeeded, copied.succeeded) });
});
