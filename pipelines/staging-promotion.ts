// Staging promotion (a release/* branch created from dev): no rebuild. The image dev runs — read from dev's
// manifests in the GitOps repository, whatever commit built it — is copied by digest from the dev registry
// to the staging registry, staging's manifests take it, the release's configuration is copied to staging,
// and Argo CD is waited for.
import { github, param, pipeline } from '@argots/dsl';
import { checkout } from './lib/checkout.js';
import { configDeploy } from './lib/config-deploy.js';
import { APP_GIT_URL, APP_REPO, GITOPS_URL, ORG_PIPELINE, SENSOR, SOURCE_DIR, githubSteps, gitopsWrite, steps } from './lib/org.js';
import { verifyDeploy } from './lib/verify-deploy.js';

const config = configDeploy('staging', { all: true });

export default pipeline('staging-promotion', ORG_PIPELINE, (p) => {
  const { release } = p.trigger(github.branchCreated({ repo: APP_REPO, pattern: 'release/*' }), (e) => ({ release: e.ref }), SENSOR);
  const service = p.param('service', param.string({ default: 'shop-api', description: 'Service to promote.' }));

  // The branch event carries no commit: check the release out by name, then use its commit throughout.
  const tip = p.task('checkout', checkout.call({ url: APP_GIT_URL, revision: release }));
  const running = p.task('dev-image', githubSteps.currentImage({ gitopsUrl: GITOPS_URL, service, env: 'dev' }));
  const promoted = p.task('promote', steps.promote({ image: running.outputs.image, from: 'dev', to: 'staging' }));
  const updated = p.task('update-staging-manifests', githubSteps.updateManifests({
    // The release's commit: cleanup-staging finds the release's image by it (contained in the release, not in master).
    // appRepo: the checkout, so staging already running a newer commit's image is not set back (RUN744).
    gitopsUrl: GITOPS_URL, service, env: 'staging', image: promoted.outputs.reference, sourceCommit: tip.outputs.commit, appRepo: SOURCE_DIR,
  }, gitopsWrite('staging')));
  p.task('verify-deploy', verifyDeploy({ service, env: 'staging', revision: updated.outputs.commit }));
  p.task('copy-config', config.call({ service, sourceCommit: tip.outputs.commit }), { after: [updated] });
});
