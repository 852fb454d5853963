// Hotfix (a hotfix/* pull request merged into master): a fresh image from the merge commit goes to
// staging to be checked; master is merged back into the newest open release and into dev; then staging
// is cleaned up: put back on the open release's image (kept on the hotfix when no release is open).
import { github, param, pipeline } from '@argots/dsl';
import { buildImage } from './lib/build-image.js';
import { checkout } from './lib/checkout.js';
import { APP_GIT_URL, APP_REPO, GITOPS_URL, ORG_PIPELINE, REGISTRIES, SENSOR, steps } from './lib/org.js';

const build = buildImage({ registry: REGISTRIES.staging, registrySecret: 'registry-staging-push' });

export default pipeline('hotfix', { ...ORG_PIPELINE, synchronization: { mutexes: [{ name: 'gitops-staging' }] } }, (p) => {
  const { mergeCommit } = p.trigger(
    github.pullRequestMerged({ repo: APP_REPO, base: 'master', head: 'hotfix/*' }),
    (e) => ({ mergeCommit: e.pull_request.merge_commit_sha }),
    SENSOR,
  );
  const service = p.param('service', param.string({ default: 'shop-api', description: 'Service to build.' }));
  const context = p.param('context', param.string({ default: 'services/shop-api', description: 'Directory of the service.' }));

  const src = p.task('checkout', checkout.call({ url: APP_GIT_URL, revision: mergeCommit }));
  const image = p.task('build', build.call({ service, context, tag: src.outputs.commit }));
  const deployed = p.task('update-staging-manifests', steps.updateManifests({
    gitopsUrl: GITOPS_URL, service, env: 'staging', image: image.outputs.imageRef, sourceCommit: src.outputs.commit,
  }));
  // `release/*` resolves to the newest open release branch; `no-target` when none is open.
  const intoRelease = p.task('back-merge-release', steps.backMerge({ repo: APP_REPO, source: 'master', target: 'release/*', labels: ['back-merge', 'hotfix'] }), {
    depends: deployed.succeeded,
  });
  const intoDev = p.task('back-merge-dev', steps.backMerge({ repo: APP_REPO, source: 'master', target: 'dev', labels: ['back-merge', 'hotfix'] }), {
    depends: deployed.succeeded,
  });
  p.task('cleanup-staging', steps.cleanupStaging({ repo: APP_REPO, gitopsUrl: GITOPS_URL, service, env: 'staging' }), {
    depends: intoRelease.succeeded.and(intoDev.succeeded),
  });
});
