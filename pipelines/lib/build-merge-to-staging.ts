// What a bugfix/* or hotfix/* merge brought, built for staging (shared by staging-bugfix and hotfix): the merge
// commit is compared with its first parent (the target branch before the merge), and every service with code
// changes gets a fresh image of the merge commit in the staging registry — one bake run for a repository whose
// root bake file has a target per service (as dev-build), otherwise each service from its folder — then every
// changed service (code or configuration) gets the branch's configuration (`--all`). A config-only change
// copies configuration and builds nothing.
import { and, text, type PipelineScope, type Value } from '@argots/dsl';
import { bakePush } from './bake.js';
import { checkout } from './checkout.js';
import { configDeploy } from './config-deploy.js';
import { APP_GIT_URL, REGISTRIES, SERVICE_DIR, SOURCE_DIR, steps } from './org.js';
import { bakedServiceDeploy, serviceDeploy } from './service-deploy.js';

const deploy = serviceDeploy({ env: 'staging', registry: REGISTRIES.staging });
const config = configDeploy('staging', { all: true });
const bakeAll = bakePush({ env: 'staging', registry: REGISTRIES.staging });
const deployBaked = bakedServiceDeploy('staging');

/** The checkout, detection, builds and configuration copy of a merge, as tasks of `p`. */
export function buildMergeToStaging<S>(p: PipelineScope<S>, mergeCommit: Value<string, S>) {
  const src = p.task('checkout', checkout.call({ url: APP_GIT_URL, revision: mergeCommit }));
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
  // After the images. A build way not taken is Skipped, or Omitted when its own dependency (detect-build) was
  // skipped — a change with no code — so both count as done here; a failed build stops it.
  const builtOrNot = (t: typeof deployed | typeof deployedBaked) => t.done.or(t.omitted);
  const configured = p.task('copy-config', (s) => config.call({ service: s.get('name'), sourceCommit: mergeCommit }), {
    withParam: change.outputs.services,
    when: (s) => s.get('kind').ne('none'),
    depends: builtOrNot(deployedBaked).and(builtOrNot(deployed)),
  });
  return { src, change, configured };
}
