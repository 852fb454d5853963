// Production promotion (a release/* pull request merged into master): for EVERY service of the release (the
// services its change rules declare, one loop item each), the image staging runs — read from staging's
// manifests — is copied by digest to the prod registry; then either the prod manifests are updated directly
// (and the release's configuration copied, and Argo CD waited for), or a promotion pull request carrying the
// image and the release's configuration is opened in the GitOps repository as the manual gate (the `gate`
// parameter chooses).
import { dag, github, param, pipeline } from '@argots/dsl';
import { checkout } from './lib/checkout.js';
import { configDeploy } from './lib/config-deploy.js';
import { APP_GIT_URL, APP_REPO, GITOPS_REPO, GITOPS_URL, ORG_PIPELINE, SENSOR, SOURCE_DIR, githubSteps, gitopsWrite, steps } from './lib/org.js';
import { verifyDeploy } from './lib/verify-deploy.js';

const config = configDeploy('prod', { all: true });

/** `promote-to-prod`: one service of the release from staging to prod, directly or through the gate. */
const promoteService = dag(
  'promote-to-prod',
  {
    inputs: {
      service: param.string({ description: 'The service to promote.' }),
      sourceCommit: param.string({ description: 'The merge commit checked out.' }),
      gate: param.enum(['pull-request', 'direct'], { description: 'pull-request: a GitOps pull request; direct: the prod manifests now.' }),
    },
  },
  (d, i) => {
    const running = d.task('staging-image', githubSteps.currentImage({ gitopsUrl: GITOPS_URL, service: i.service, env: 'staging' }));
    const promoted = d.task('promote', steps.promote({ image: running.outputs.image, from: 'staging', to: 'prod', referrers: true }));

    // gate=direct: prod's manifests now (judged by ancestry against the checkout: RUN744, prod already running
    // a newer commit's image is not set back), then the release's configuration, Argo CD waited for.
    const updated = d.task('update-prod-manifests', githubSteps.updateManifests({
      gitopsUrl: GITOPS_URL, service: i.service, env: 'prod', image: promoted.outputs.reference, sourceCommit: i.sourceCommit, appRepo: SOURCE_DIR,
      // The digest the promotion moved the tag away from, recorded in the deploy commit (Argots-Replaced-Digest).
      replacedDigest: promoted.outputs.replaced,
    }, gitopsWrite('prod')), { when: i.gate.eq('direct') });
    d.task('verify-deploy', verifyDeploy({ service: i.service, env: 'prod', revision: updated.outputs.commit }), { when: i.gate.eq('direct') });
    d.task('copy-config', config.call({ service: i.service, sourceCommit: i.sourceCommit }), { after: [updated], when: i.gate.eq('direct') });

    // gate=pull-request: one GitOps pull request per service carries the image AND the release's configuration,
    // so merging it moves both; nothing reaches prod's main branch before a person merges it
    // (`configFrom`: copied as copy-config --all, in a commit of its own, before the pull request is opened).
    // When prod already runs the image, the pull request carries the configuration only.
    d.task('open-promotion-pull-request', githubSteps.openPromotionPullRequest({
      repo: GITOPS_REPO, gitUrl: GITOPS_URL, service: i.service, env: 'prod', image: promoted.outputs.reference, sourceCommit: i.sourceCommit,
      configFrom: SOURCE_DIR, labels: ['promotion', 'env:prod'],
    }), { when: i.gate.eq('pull-request') });
  },
);

export default pipeline('production-promotion', ORG_PIPELINE, (p) => {
  const { mergeCommit } = p.trigger(
    github.pullRequestMerged({ repo: APP_REPO, base: 'master', head: 'release/*' }),
    (e) => ({ mergeCommit: e.pull_request.merge_commit_sha }),
    SENSOR,
  );
  const gate = p.param('gate', param.enum(['pull-request', 'direct'], {
    default: 'pull-request',
    description: 'pull-request: open a GitOps pull request as the manual gate; direct: update the prod manifests now.',
  }));

  // The merge commit checked out first: the services of the release are read from it, the manifests step
  // judges by ancestry against it, and the release's configuration is copied from it.
  const src = p.task('checkout', checkout.call({ url: APP_GIT_URL, revision: mergeCommit }));
  // Every service of the release moves, not one named by a parameter (a monorepo releases them together).
  const services = p.task('list-services', steps.listServices({ repo: SOURCE_DIR }), { after: [src] });
  p.task('promote-service', (service) => promoteService.call({ service, sourceCommit: src.outputs.commit, gate }), { withParam: services.outputs.services });
});
