// Dev build (a feature/* branch merged into dev): check out the pushed commit and classify the change per
// service. Every service with code changes is built (pushed to the dev registry), set in the dev manifests
// and waited for in Argo CD — a repository whose root bake file has a target per service builds all the
// changed ones in ONE bake run; otherwise each service builds from its folder (Dockerfile or its own bake
// file). Every service whose configuration changed — alone or with code in the same push — gets it copied
// to dev's folder. One loop item per changed service.
import { and, github, pipeline, text } from '@argots/dsl';
import { checkout } from './lib/checkout.js';
import { configDeploy } from './lib/config-deploy.js';
import { APP_GIT_URL, APP_REPO, ORG_PIPELINE, REGISTRIES, SENSOR, SERVICE_DIR, SOURCE_DIR, steps } from './lib/org.js';
import { bakePush } from './lib/bake.js';
import { bakedServiceDeploy, serviceDeploy } from './lib/service-deploy.js';

const deploy = serviceDeploy({ env: 'dev', registry: REGISTRIES.dev });
const config = configDeploy('dev', { all: false });
const bakeAll = bakePush({ env: 'dev', registry: REGISTRIES.dev });
const deployBaked = bakedServiceDeploy('dev');

export default pipeline('dev-build', ORG_PIPELINE, (p) => {
  const { before, after } = p.trigger(github.push({ repo: APP_REPO, branches: ['dev'] }), (e) => ({ before: e.before, after: e.after }), SENSOR);

  const src = p.task('checkout', checkout.call({ url: APP_GIT_URL, revision: after }));
  const change = p.task('detect-changes', steps.detectChanges({ repo: SOURCE_DIR, before, after, defaultBranch: 'dev', requireServices: true }), { after: [src] });

  const code = change.outputs.kind.eq('code');
  // How the repository builds as a whole: a root bake file (a target per service) builds them together.
  const whole = p.task('detect-build', steps.detectBuild({ repo: SOURCE_DIR, context: '.' }), { when: code });
  const rootBake = whole.outputs.kind.eq('bake');
  const baked = p.task('bake-changed', bakeAll.call({ context: SOURCE_DIR, targets: text`${change.outputs.codeServices}`, tag: after }), { when: and(code, rootBake) });
  p.task('deploy-baked', (service) => deployBaked.call({ service, metadata: baked.outputs.metadata, sourceCommit: after }), {
    withParam: change.outputs.codeServices,
    when: and(code, rootBake),
  });
  // Otherwise each service with code changes: build from its folder → dev manifests → Argo CD synced and healthy.
  p.task('build-and-deploy', (service) => deploy.call({ service, context: text`${SERVICE_DIR}/${service}`, tag: after }), {
    withParam: change.outputs.codeServices,
    when: and(code, whole.outputs.kind.ne('bake')),
  });
  // Each service whose configuration changed, config-only and mixed pushes alike.
  p.task('copy-config', (service) => config.call({ service, files: change.outputs.configFiles, deleted: change.outputs.deletedConfigFiles, sourceCommit: after }), {
    withParam: change.outputs.configServices,
    when: change.outputs.kind.ne('none'),
  });
});
