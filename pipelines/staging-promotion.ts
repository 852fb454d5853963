// Staging promotion (a release/* branch created from dev): no rebuild. The image dev built for the
// release's commit is copied by digest from the dev registry to the staging registry, and the staging
// manifests are set to that digest.
import { github, param, pipeline, text } from '@argots/dsl';
import { checkout } from './lib/checkout.js';
import { verifyDeploy } from './lib/verify-deploy.js';
import { APP_GIT_URL, APP_REPO, GITOPS_URL, SENSOR, ORG_PIPELINE, REGISTRIES, steps } from './lib/org.js';

export default pipeline('staging-promotion', { ...ORG_PIPELINE, synchronization: { mutexes: [{ name: 'gitops-staging' }] } }, (p) => {
  const { release } = p.trigger(github.branchCreated({ repo: APP_REPO, pattern: 'release/*' }), (e) => ({ release: e.ref }), SENSOR);
  const service = p.param('service', param.string({ default: 'shop-api', description: 'Service to promote.' }));

  // The branch event carries no commit: resolve the release tip once, then use that commit throughout.
  const tip = p.task('checkout', checkout.call({ url: APP_GIT_URL, revision: release }));
  const promoted = p.task('promote', steps.promote({
    image: text`${REGISTRIES.dev}/${service}:${tip.outputs.commit}`,
    from: 'dev',
    to: 'staging',
  }));
  const updated = p.task('update-staging-manifests', steps.updateManifests({
    gitopsUrl: GITOPS_URL, service, env: 'staging', image: promoted.outputs.reference, sourceCommit: tip.outputs.commit,
  }));
  p.task('verify-deploy', verifyDeploy.call({ service, env: 'staging', revision: updated.outputs.commit }));
});
