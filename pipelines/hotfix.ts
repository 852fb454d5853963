// Hotfix (a hotfix/* pull request merged into master): a fresh image from the merge commit goes to staging
// (with master's configuration) to be checked; master is merged back into every open release (oldest version
// first: each ships later and must not lose the fix) and into dev. Then the pipeline waits for the check: `approve-hotfix` is a manual gate (`argo resume`, or the UI)
// whose answer is `promote` or `reject`. Promote: the hotfix image (by digest) is proposed for production
// through a GitOps pull request that also carries master's configuration, and staging is cleaned up — put
// back on the open release's image and configuration (kept on the hotfix when no release is open). Reject:
// staging is cleaned up, nothing goes to production.
import { github, output, param, pipeline, suspend, text } from '@argots/dsl';
import { checkout } from './lib/checkout.js';
import { configDeploy } from './lib/config-deploy.js';
import { APP_GIT_URL, APP_REPO, GITOPS_REPO, GITOPS_URL, ORG_PIPELINE, REGISTRIES, SENSOR, SERVICE_DIR, SOURCE_DIR, WORKSPACE, githubSteps, gitopsWrite, steps } from './lib/org.js';
import { serviceDeploy } from './lib/service-deploy.js';

const deploy = serviceDeploy({ env: 'staging', registry: REGISTRIES.staging });
const config = configDeploy('staging', { all: true });
/** Where the open release is checked out for staging's clean-up (beside the hotfix's checkout). */
const RELEASE_DIR = `${WORKSPACE}/release`;

/** The check of the hotfix on staging: a person answers `promote` or `reject` (48 h at most). */
const approve = suspend('approve-hotfix', {
  outputs: { decision: output.supplied({ enum: ['promote', 'reject'], description: 'promote: propose production; reject: only clean staging up.' }) },
  fields: { activeDeadlineSeconds: 172800 },
});

export default pipeline('hotfix', { ...ORG_PIPELINE, activeDeadlineSeconds: 180000 }, (p) => {
  const { mergeCommit } = p.trigger(
    github.pullRequestMerged({ repo: APP_REPO, base: 'master', head: 'hotfix/*' }),
    (e) => ({ mergeCommit: e.pull_request.merge_commit_sha }),
    SENSOR,
  );
  const service = p.param('service', param.string({ default: 'shop-api', description: 'Service to build.' }));

  const src = p.task('checkout', checkout.call({ url: APP_GIT_URL, revision: mergeCommit }));
  const deployed = p.task('build-and-deploy', deploy.call({ service, context: text`${SERVICE_DIR}/${service}`, tag: src.outputs.commit }));
  const configured = p.task('copy-config', config.call({ service, sourceCommit: src.outputs.commit }), { after: [deployed] });
  // `release/*` with `releases: all-open`: every open release branch, oldest first (`targets` lists them);
  // `no-target` when none is open. A conflict becomes a pull request for that release and the others go on.
  const intoRelease = p.task('back-merge-release', githubSteps.backMerge({ repo: APP_REPO, gitUrl: APP_GIT_URL, source: 'master', target: 'release/*', releases: 'all-open', labels: ['back-merge', 'hotfix'] }), {
    depends: configured.succeeded,
  });
  const intoDev = p.task('back-merge-dev', githubSteps.backMerge({ repo: APP_REPO, gitUrl: APP_GIT_URL, source: 'master', target: 'dev', labels: ['back-merge', 'hotfix'] }), {
    depends: configured.succeeded,
  });
  const check = p.task('approve-hotfix', approve.call({}), { depends: intoRelease.succeeded.and(intoDev.succeeded) });
  const promoteIt = check.outputs.decision.eq('promote');
  const promoted = p.task('promote', steps.promote({ image: deployed.outputs.image, from: 'staging', to: 'prod', referrers: true }), { when: promoteIt });
  const proposed = p.task('open-promotion-pull-request', githubSteps.openPromotionPullRequest({
    repo: GITOPS_REPO, gitUrl: GITOPS_URL, service, env: 'prod', image: promoted.outputs.reference, sourceCommit: src.outputs.commit, labels: ['promotion', 'env:prod', 'hotfix'],
  }), { when: promoteIt });
  // The hotfix's configuration (master's) rides on the same pull request: merging it moves image and config.
  p.task('config-to-promotion', githubSteps.copyConfig({
    repo: SOURCE_DIR, gitopsUrl: GITOPS_URL, branch: proposed.outputs.branch, service, env: 'prod', all: true, sourceCommit: src.outputs.commit,
  }), { when: proposed.outputs.changed.eq('true') });
  // After the check either way, beside the production proposal (which copies by digest from the staging
  // registry and writes prod only): staging goes back to the open release — its image (cleanup-staging) and its
  // configuration (checked out beside the hotfix, copied with --all, which removes what only the hotfix brought).
  const cleaned = p.task('cleanup-staging', githubSteps.cleanupStaging({ repo: APP_REPO, gitUrl: APP_GIT_URL, gitopsUrl: GITOPS_URL, service, env: 'staging' }, gitopsWrite('staging')), {
    depends: check.succeeded,
  });
  const releaseSrc = p.task('checkout-release', checkout.call({ url: APP_GIT_URL, revision: cleaned.outputs.release, dir: RELEASE_DIR }), {
    when: cleaned.outputs.release.ne(''),
  });
  p.task('release-config-to-staging', githubSteps.copyConfig({
    repo: RELEASE_DIR, gitopsUrl: GITOPS_URL, service, env: 'staging', all: true, sourceCommit: releaseSrc.outputs.commit,
  }, gitopsWrite('staging')));
});
