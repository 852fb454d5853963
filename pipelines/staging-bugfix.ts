// Staging bugfix (a bugfix/* pull request merged onto a release branch): a fresh image is built from the
// merge commit and pushed to the staging registry only (dev never sees it), staging's manifests take it and
// the release's configuration, Argo CD is waited for, then the release branch is merged back into dev (or a
// pull request is opened on conflict).
import { github, param, pipeline, text } from '@argots/dsl';
import { checkout } from './lib/checkout.js';
import { configDeploy } from './lib/config-deploy.js';
import { APP_GIT_URL, APP_REPO, ORG_PIPELINE, REGISTRIES, SENSOR, SERVICE_DIR, SOURCE_DIR, githubSteps } from './lib/org.js';
import { serviceDeploy } from './lib/service-deploy.js';

const deploy = serviceDeploy({ env: 'staging', registry: REGISTRIES.staging });
const config = configDeploy('staging', { all: true });

export default pipeline('staging-bugfix', ORG_PIPELINE, (p) => {
  const { release, mergeCommit } = p.trigger(
    github.pullRequestMerged({ repo: APP_REPO, base: 'release/*', head: 'bugfix/*' }),
    (e) => ({ release: e.pull_request.base.ref, mergeCommit: e.pull_request.merge_commit_sha }),
    SENSOR,
  );
  const service = p.param('service', param.string({ default: 'shop-api', description: 'Service to build.' }));

  const src = p.task('checkout', checkout.call({ url: APP_GIT_URL, revision: mergeCommit }));
  const deployed = p.task('build-and-deploy', deploy.call({ service, context: text`${SERVICE_DIR}/${service}`, tag: src.outputs.commit }));
  const configured = p.task('copy-config', config.call({ service, sourceCommit: src.outputs.commit }), { after: [deployed] });
  p.task('back-merge-dev', githubSteps.backMerge({ repo: APP_REPO, gitUrl: APP_GIT_URL, source: release, target: 'dev', labels: ['back-merge'] }), {
    depends: configured.succeeded,
  });
});
