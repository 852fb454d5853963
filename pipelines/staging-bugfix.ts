// Staging bugfix (a bugfix/* pull request merged onto a release branch): a fresh image is built from the
// merge commit and pushed to the staging registry only (dev never sees it), staging's manifests take it,
// then the release branch is merged back into dev (or a pull request is opened on conflict).
import { github, param, pipeline } from '@argots/dsl';
import { buildImage } from './lib/build-image.js';
import { checkout } from './lib/checkout.js';
import { APP_GIT_URL, APP_REPO, GITOPS_URL, ORG_PIPELINE, REGISTRIES, SENSOR, steps } from './lib/org.js';

const build = buildImage({ registry: REGISTRIES.staging, registrySecret: 'registry-staging-push' });

export default pipeline('staging-bugfix', { ...ORG_PIPELINE, synchronization: { mutexes: [{ name: 'gitops-staging' }] } }, (p) => {
  const { release, mergeCommit } = p.trigger(
    github.pullRequestMerged({ repo: APP_REPO, base: 'release/*', head: 'bugfix/*' }),
    (e) => ({ release: e.pull_request.base.ref, mergeCommit: e.pull_request.merge_commit_sha }),
    SENSOR,
  );
  const service = p.param('service', param.string({ default: 'shop-api', description: 'Service to build.' }));
  const context = p.param('context', param.string({ default: 'services/shop-api', description: 'Directory of the service.' }));

  const src = p.task('checkout', checkout.call({ url: APP_GIT_URL, revision: mergeCommit }));
  const image = p.task('build', build.call({ service, context, tag: src.outputs.commit }));
  const deployed = p.task('update-staging-manifests', steps.updateManifests({
    gitopsUrl: GITOPS_URL, service, env: 'staging', image: image.outputs.imageRef, sourceCommit: src.outputs.commit,
  }));
  p.task('back-merge-dev', steps.backMerge({ repo: APP_REPO, source: release, target: 'dev', labels: ['back-merge'] }), {
    depends: deployed.succeeded,
  });
});
