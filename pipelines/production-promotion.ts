// Production promotion (a release/* pull request merged into master): the staging image is copied by
// digest to the prod registry; then either the prod manifests are updated directly, or a promotion pull
// request is opened in the GitOps repository as the manual gate (the `gate` parameter chooses).
import { github, param, pipeline, text } from '@argots/dsl';
import { verifyDeploy } from './lib/verify-deploy.js';
import { APP_REPO, GITOPS_REPO, GITOPS_URL, SENSOR, ORG_PIPELINE, REGISTRIES, steps } from './lib/org.js';

export default pipeline('production-promotion', { ...ORG_PIPELINE, synchronization: { mutexes: [{ name: 'gitops-prod' }] } }, (p) => {
  // The release tip is the commit staging runs; the merge commit is what master now holds.
  const { releaseCommit, mergeCommit } = p.trigger(
    github.pullRequestMerged({ repo: APP_REPO, base: 'master', head: 'release/*' }),
    (e) => ({ releaseCommit: e.pull_request.head.sha, mergeCommit: e.pull_request.merge_commit_sha }),
    SENSOR,
  );
  const service = p.param('service', param.string({ default: 'shop-api', description: 'Service to promote.' }));
  const gate = p.param('gate', param.enum(['pull-request', 'direct'], {
    default: 'pull-request',
    description: 'pull-request: open a GitOps pull request as the manual gate; direct: update the prod manifests now.',
  }));

  const promoted = p.task('promote', steps.promote({
    image: text`${REGISTRIES.staging}/${service}:${releaseCommit}`,
    from: 'staging',
    to: 'prod',
    referrers: true,
  }));
  const updated = p.task('update-prod-manifests', steps.updateManifests({
    gitopsUrl: GITOPS_URL, service, env: 'prod', image: promoted.outputs.reference, sourceCommit: mergeCommit,
  }), { when: gate.eq('direct') });
  p.task('verify-deploy', verifyDeploy.call({ service, env: 'prod', revision: updated.outputs.commit }), { when: gate.eq('direct') });
  p.task('open-promotion-pull-request', steps.openPromotionPullRequest({
    repo: GITOPS_REPO, service, env: 'prod', image: promoted.outputs.reference, sourceCommit: mergeCommit,
    labels: ['promotion', 'env:prod'],
  }), { when: gate.eq('pull-request') });
});
