// Staging bugfix (a bugfix/* pull request merged onto a release branch): check out the merge commit and
// classify what the merge brought per service (the merge commit against its first parent, the release before
// the merge). Every service with code changes gets a fresh image of the merge commit, pushed to the staging
// registry only (dev never sees it) — a repository whose root bake file has a target per service builds all
// the changed ones in ONE bake run; otherwise each builds from its folder — and staging's manifests take it.
// Every changed service (code or configuration) gets the release's configuration (`--all`), after the
// builds: a config-only change copies configuration and builds nothing. Argo CD is waited for; then the
// release branch is merged back into dev (or a pull request is opened on conflict). One loop item per
// changed service.
import { and, github, pipeline, text } from '@argots/dsl';
import { bakePush } from './lib/bake.js';
import { checkout } from './lib/checkout.js';
import { configDeploy } from './lib/config-deploy.js';
import { APP_GIT_URL, APP_REPO, ORG_PIPELINE, REGISTRIES, SENSOR, SERVICE_DIR, SOURCE_DIR, githubSteps, steps } from './lib/org.js';
import { bakedServiceDeploy, serviceDeploy } from './lib/service-deploy.js';

const deploy = serviceDeploy({ env: 'staging', registry: REGISTRIES.staging });
const config = configDeploy('staging', { all: true });
const bakeAll = bakePush({ env: 'staging', registry: REGISTRIES.staging });
const deployBaked = bakedServiceDeploy('staging');

export default pipeline('staging-bugfix', ORG_PIPELINE, (p) => {
  const { release, mergeCommit } = p.trigger(
    github.pullRequestMerged({ repo: APP_REPO, base: 'release/*', head: 'bugfix/*' }),
    (e) => ({ release: e.pull_request.base.ref, mergeCommit: e.pull_request.merge_commit_sha }),
    SENSOR,
  );

  const src = p.task('checkout', checkout.call({ url: APP_GIT_URL, revision: mergeCommit }));
  // What the merge brought: the merge commit against its first parent (the release's tip before the merge).
  const change = p.task('detect-changes', steps.detectChanges({ repo: SOURCE_DIR, before: text`${mergeCommit}^1`, after: mergeCommit, requireServices: true }), { after: [src] });

  const code = change.outputs.kind.eq('code');
  const whole = p.task('detect-build', steps.detectBuild({ repo: SOURCE_DIR, context: '.' }), { when: code });
  const rootBake = whole.outputs.kind.eq('bake');
  const baked = p.task('bake-changed', bakeAll.call({ context: SOURCE_DIR, targets: text`${change.outputs.codeServices}`, tag: mergeCommit }), { when: and(code, rootBake) });
  const deployedBaked = p.task('deploy-baked', (service) => deployBaked.call({ service, metadata: baked.outputs.metadata, sourceCommit: mergeCommit }), {
    withParam: change.outputs.codeServices,
    when: and(code, rootBake),
  });
  const deployed = p.task('build-and-deploy', (service) => deploy.call({ service, context: text`${SERVICE_DIR}/${service}`, tag: mergeCommit }), {
    withParam: change.outputs.codeServices,
    when: and(code, whole.outputs.kind.ne('bake')),
  });
  // Every changed service, after the images: the release's configuration of that service (`--all`). A build
  // way not taken is Skipped, or Omitted when its own dependency (detect-build) was skipped — a change with
  // no code — so both count as done here; a failed build stops it.
  const builtOrNot = (t: typeof deployed | typeof deployedBaked) => t.done.or(t.omitted);
  const configured = p.task('copy-config', (s) => config.call({ service: s.get('name'), sourceCommit: mergeCommit }), {
    withParam: change.outputs.services,
    when: (s) => s.get('kind').ne('none'),
    depends: builtOrNot(deployedBaked).and(builtOrNot(deployed)),
  });
  p.task('back-merge-dev', githubSteps.backMerge({ repo: APP_REPO, gitUrl: APP_GIT_URL, source: release, target: 'dev', labels: ['back-merge'] }), {
    depends: configured.done,
  });
});
