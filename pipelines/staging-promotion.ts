// Staging promotion (a release/* branch created from dev): no rebuild. For EVERY service of the release (the
// services its change rules declare, one loop item each): the image dev runs — read from dev's manifests in
// the GitOps repository, whatever commit built it — is copied by digest from the dev registry to the staging
// registry, staging's manifests take it, Argo CD is waited for, and the release's configuration of that
// service is copied to staging.
import { dag, github, param, pipeline } from '@argots/dsl';
import { checkout } from './lib/checkout.js';
import { configDeploy } from './lib/config-deploy.js';
import { APP_GIT_URL, APP_REPO, GITOPS_URL, ORG_PIPELINE, SENSOR, SOURCE_DIR, githubSteps, gitopsWrite, steps } from './lib/org.js';
import { verifyDeploy } from './lib/verify-deploy.js';

const config = configDeploy('staging', { all: true });

/** `promote-to-staging`: one service of the release from dev to staging. */
const promoteService = dag(
  'promote-to-staging',
  {
    inputs: {
      service: param.string({ description: 'The service to promote.' }),
      sourceCommit: param.string({ description: 'The release commit checked out.' }),
    },
  },
  (d, i) => {
    const running = d.task('dev-image', githubSteps.currentImage({ gitopsUrl: GITOPS_URL, service: i.service, env: 'dev' }));
    const promoted = d.task('promote', steps.promote({ image: running.outputs.image, from: 'dev', to: 'staging' }));
    const updated = d.task('update-staging-manifests', githubSteps.updateManifests({
      // The release's commit: cleanup-staging finds the release's image by it (contained in the release, not in master).
      // appRepo: the checkout, so staging already running a newer commit's image is not set back (RUN744).
      gitopsUrl: GITOPS_URL, service: i.service, env: 'staging', image: promoted.outputs.reference, sourceCommit: i.sourceCommit, appRepo: SOURCE_DIR,
      // The digest the promotion moved the tag away from, recorded in the deploy commit (Argots-Replaced-Digest).
      replacedDigest: promoted.outputs.replaced,
    }, gitopsWrite('staging')));
    d.task('verify-deploy', verifyDeploy({ service: i.service, env: 'staging', revision: updated.outputs.commit }));
    d.task('copy-config', config.call({ service: i.service, sourceCommit: i.sourceCommit }), { after: [updated] });
  },
);

export default pipeline('staging-promotion', ORG_PIPELINE, (p) => {
  const { release } = p.trigger(github.branchCreated({ repo: APP_REPO, pattern: 'release/*' }), (e) => ({ release: e.ref }), SENSOR);

  // The branch event carries no commit: check the release out by name, then use its commit throughout.
  const tip = p.task('checkout', checkout.call({ url: APP_GIT_URL, revision: release }));
  // Every service of the release moves, not one named by a parameter (a monorepo releases them together).
  const services = p.task('list-services', steps.listServices({ repo: SOURCE_DIR }), { after: [tip] });
  p.task('promote-service', (service) => promoteService.call({ service, sourceCommit: tip.outputs.commit }), { withParam: services.outputs.services });
});
