// Production promotion (a release/* pull request merged into master): the image staging runs — read from
// staging's manifests — is copied by digest to the prod registry; then either the prod manifests are
// updated directly (and the release's configuration copied, and Argo CD waited for), or a promotion pull
// request carrying the image and the release's configuration is opened in the GitOps repository as the
// manual gate (the `gate` parameter chooses).
import { github, param, pipeline } from '@argots/dsl';
import { checkout } from './lib/checkout.js';
import { configDeploy } from './lib/config-deploy.js';
import { APP_GIT_URL, APP_REPO, GITOPS_REPO, GITOPS_URL, ORG_PIPELINE, SENSOR, SOURCE_DIR, githubSteps, gitopsWrite, steps } from './lib/org.js';
import { verifyDeploy } from './lib/verify-deploy.js';

const config = configDeploy('prod', { all: true });

export default pipeline('production-promotion', ORG_PIPELINE, (p) => {
  const { mergeCommit } = p.trigger(
    github.pullRequestMerged({ repo: APP_REPO, base: 'master', head: 'release/*' }),
    (e) => ({ mergeCommit: e.pull_request.merge_commit_sha }),
    SENSOR,
  );
  const service = p.param('service', param.string({ default: 'shop-api', description: 'Service to promote.' }));
  const gate = p.param('gate', param.enum(['pull-request', 'direct'], {
    default: 'pull-request',
    description: 'pull-request: open a GitOps pull request as the manual gate; direct: update the prod manifests now.',
  }));

  // The merge commit checked out first: the manifests step judges by ancestry against it (RUN744: prod already
  // running a newer commit's image is not set back), and the release's configuration is copied from it.
  const src = p.task('checkout', checkout.call({ url: APP_GIT_URL, revision: mergeCommit }));
  const running = p.task('staging-image', githubSteps.currentImage({ gitopsUrl: GITOPS_URL, service, env: 'staging' }));
  const promoted = p.task('promote', steps.promote({ image: running.outputs.image, from: 'staging', to: 'prod', referrers: true }));

  // gate=direct: prod's manifests now, then the release's configuration, Argo CD waited for.
  const updated = p.task('update-prod-manifests', githubSteps.updateManifests({
    gitopsUrl: GITOPS_URL, service, env: 'prod', image: promoted.outputs.reference, sourceCommit: mergeCommit, appRepo: SOURCE_DIR,
  }, gitopsWrite('prod')), { after: [src], when: gate.eq('direct') });
  p.task('verify-deploy', verifyDeploy({ service, env: 'prod', revision: updated.outputs.commit }), { when: gate.eq('direct') });
  p.task('copy-config', config.call({ service, sourceCommit: src.outputs.commit }), { after: [updated], when: gate.eq('direct') });

  // gate=pull-request: one GitOps pull request carries the image AND the release's configuration (copied onto
  // its branch), so merging it moves both; nothing reaches prod's main branch before a person merges it.
  const proposed = p.task('open-promotion-pull-request', githubSteps.openPromotionPullRequest({
    repo: GITOPS_REPO, gitUrl: GITOPS_URL, service, env: 'prod', image: promoted.outputs.reference, sourceCommit: mergeCommit,
    labels: ['promotion', 'env:prod'],
  }), { when: gate.eq('pull-request') });
  p.task('config-to-promotion', githubSteps.copyConfig({
    repo: SOURCE_DIR, gitopsUrl: GITOPS_URL, branch: proposed.outputs.branch, service, env: 'prod', all: true, sourceCommit: src.outputs.commit,
  }), { when: proposed.outputs.changed.eq('true') });
});
