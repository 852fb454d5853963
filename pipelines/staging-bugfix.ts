// Staging bugfix (a bugfix/* pull request merged onto a release branch): check out the merge commit and
// classify what the merge brought per service (the merge commit against its first parent, the release before
// the merge). Every service with code changes gets a fresh image of the merge commit, pushed to the staging
// registry only (dev never sees it) — a repository whose root bake file has a target per service builds all
// the changed ones in ONE bake run; otherwise each builds from its folder — and staging's manifests take it.
// Every changed service (code or configuration) gets the release's configuration (`--all`), after the
// builds: a config-only change copies configuration and builds nothing. Argo CD is waited for; then the
// release branch is merged back into dev (or a pull request is opened on conflict). One loop item per
// changed service.
import { github, pipeline } from '@argots/dsl';
import { buildMergeToStaging } from './lib/build-merge-to-staging.js';
import { APP_GIT_URL, APP_REPO, ORG_PIPELINE, SENSOR, githubSteps } from './lib/org.js';

export default pipeline('staging-bugfix', ORG_PIPELINE, (p) => {
  const { release, mergeCommit } = p.trigger(
    github.pullRequestMerged({ repo: APP_REPO, base: 'release/*', head: 'bugfix/*' }),
    (e) => ({ release: e.pull_request.base.ref, mergeCommit: e.pull_request.merge_commit_sha }),
    SENSOR,
  );

  const { configured } = buildMergeToStaging(p, mergeCommit);
  p.task('back-merge-dev', githubSteps.backMerge({ repo: APP_REPO, gitUrl: APP_GIT_URL, source: release, target: 'dev', labels: ['back-merge'] }), {
    depends: configured.done,
  });
});
