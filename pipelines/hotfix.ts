// Hotfix (a hotfix/* pull request merged into master): what the merge changed is detected per service (the
// merge commit against its first parent), and each service with code changes gets a fresh image of the merge
// commit on staging (one bake run for a root bake file with a target per service, as dev-build), every
// changed service master's configuration; that is checked there; master is merged back into every open release (oldest version
// first: each ships later and must not lose the fix) and into dev. Then the pipeline waits for the check: `approve-hotfix` is a manual gate (`argo resume`, or the UI)
// whose answer is `promote` or `reject`. Promote: for each service built, the image staging runs (the hotfix's, by
// digest) is proposed for production through a GitOps pull request that also carries master's configuration,
// and for each service whose configuration only changed, master's configuration alone (prod keeps its image);
// then staging is cleaned up — each changed service put back on the open release's image and configuration
// (kept on the hotfix when no release is open). Reject: staging is cleaned up, nothing goes to production.
import { and, dag, github, output, param, pipeline, suspend } from '@argots/dsl';
import { buildMergeToStaging } from './lib/build-merge-to-staging.js';
import { checkout } from './lib/checkout.js';
import { APP_GIT_URL, APP_REPO, GITOPS_REPO, GITOPS_URL, ORG_PIPELINE, SENSOR, SOURCE_DIR, WORKSPACE, githubSteps, gitopsWrite, steps } from './lib/org.js';
/** Where the open release is checked out for staging's clean-up (beside the hotfix's checkout). */
const RELEASE_DIR = `${WORKSPACE}/release`;

/** The check of the hotfix on staging: a person answers `promote` or `reject` (48 h at most). */
const approve = suspend('approve-hotfix', {
  outputs: { decision: output.supplied({ enum: ['promote', 'reject'], description: 'promote: propose production; reject: only clean staging up.' }) },
  fields: { activeDeadlineSeconds: 172800 },
});

/**
 * `hotfix-to-prod`: one service's hotfix to production — the image staging runs (the hotfix's: staging is
 * cleaned up only after this) copied by digest to the prod registry, proposed in a GitOps pull request that
 * also carries master's configuration: merging it takes the hotfix to production.
 */
const proposeService = dag(
  'hotfix-to-prod',
  {
    inputs: {
      service: param.string({ description: 'A service the hotfix built.' }),
      sourceCommit: param.string({ description: 'The merge commit checked out.' }),
    },
  },
  (d, i) => {
    const running = d.task('staging-image', githubSteps.currentImage({ gitopsUrl: GITOPS_URL, service: i.service, env: 'staging' }));
    const promoted = d.task('promote', steps.promote({ image: running.outputs.image, from: 'staging', to: 'prod', referrers: true }));
    // One pull request carries the image and master's configuration (`configFrom`: copied as copy-config --all).
    d.task('open-promotion-pull-request', githubSteps.openPromotionPullRequest({
      repo: GITOPS_REPO, gitUrl: GITOPS_URL, service: i.service, env: 'prod', image: promoted.outputs.reference, sourceCommit: i.sourceCommit, configFrom: SOURCE_DIR, labels: ['promotion', 'env:prod', 'hotfix'],
    }));
  },
);

/**
 * `hotfix-config-to-prod`: a service whose hotfix changed only configuration — production keeps the image it
 * runs, and a GitOps pull request carries master's configuration only.
 */
const proposeConfig = dag(
  'hotfix-config-to-prod',
  {
    inputs: {
      service: param.string({ description: 'A service whose configuration only the hotfix changed.' }),
      sourceCommit: param.string({ description: 'The merge commit checked out.' }),
    },
  },
  (d, i) => {
    const running = d.task('prod-image', githubSteps.currentImage({ gitopsUrl: GITOPS_URL, service: i.service, env: 'prod' }));
    d.task('open-promotion-pull-request', githubSteps.openPromotionPullRequest({
      repo: GITOPS_REPO, gitUrl: GITOPS_URL, service: i.service, env: 'prod', image: running.outputs.image, sourceCommit: i.sourceCommit, configFrom: SOURCE_DIR, labels: ['promotion', 'env:prod', 'hotfix'],
    }));
  },
);

export default pipeline('hotfix', { ...ORG_PIPELINE, activeDeadlineSeconds: 180000 }, (p) => {
  const { mergeCommit } = p.trigger(
    github.pullRequestMerged({ repo: APP_REPO, base: 'master', head: 'hotfix/*' }),
    (e) => ({ mergeCommit: e.pull_request.merge_commit_sha }),
    SENSOR,
  );

  const { src, change, configured } = buildMergeToStaging(p, mergeCommit);
  // `release/*` with `releases: all-open`: every open release branch, oldest first (`targets` lists them; `target`
  // is the newest, the one staging goes back to); `no-target` when none is open. A conflict becomes a pull
  // request for that release and the others go on.
  const intoRelease = p.task('back-merge-release', githubSteps.backMerge({ repo: APP_REPO, gitUrl: APP_GIT_URL, source: 'master', target: 'release/*', releases: 'all-open', labels: ['back-merge', 'hotfix'] }), {
    depends: configured.done,
  });
  const intoDev = p.task('back-merge-dev', githubSteps.backMerge({ repo: APP_REPO, gitUrl: APP_GIT_URL, source: 'master', target: 'dev', labels: ['back-merge', 'hotfix'] }), {
    depends: configured.done,
  });
  const check = p.task('approve-hotfix', approve.call({}), { depends: intoRelease.succeeded.and(intoDev.succeeded) });
  // Promote: each service built goes to production through its own GitOps pull request.
  const proposals = p.task('hotfix-to-prod', (service) => proposeService.call({ service, sourceCommit: src.outputs.commit }), {
    withParam: change.outputs.codeServices,
    when: check.outputs.decision.eq('promote'),
  });
  // A service whose configuration only changed: its configuration alone is proposed for production.
  p.task('hotfix-config-to-prod', (s) => proposeConfig.call({ service: s.get('name'), sourceCommit: src.outputs.commit }), {
    withParam: change.outputs.services,
    when: (s) => and(check.outputs.decision.eq('promote'), s.get('kind').eq('config')),
  });
  // After the check either way, once the proposals read staging's image (a failed proposal does not keep
  // staging on the hotfix): each service built goes back to the open release's image (cleanup-staging), and
  // each changed service to the release's configuration (checked out beside the hotfix, copied with --all,
  // which removes what only the hotfix brought).
  const proposalsOver = proposals.done.or(proposals.failed).or(proposals.errored).or(proposals.omitted);
  const cleaned = p.task('cleanup-staging', (service) => githubSteps.cleanupStaging({ repo: APP_REPO, gitUrl: APP_GIT_URL, gitopsUrl: GITOPS_URL, service, env: 'staging' }, gitopsWrite('staging')), {
    withParam: change.outputs.codeServices,
    depends: check.succeeded.and(proposalsOver),
  });
  const releaseSrc = p.task('checkout-release', checkout.call({ url: APP_GIT_URL, revision: intoRelease.outputs.target, dir: RELEASE_DIR }), {
    when: intoRelease.outputs.target.ne(''),
    depends: check.succeeded.and(proposalsOver),
  });
  p.task('release-config-to-staging', (s) => githubSteps.copyConfig({
    repo: RELEASE_DIR, gitopsUrl: GITOPS_URL, service: s.get('name'), env: 'staging', all: true, sourceCommit: releaseSrc.outputs.commit,
  }, gitopsWrite('staging')), {
    withParam: change.outputs.services,
    when: (s) => s.get('kind').ne('none'),
    depends: cleaned.done.and(releaseSrc.succeeded),
  });
});
