// One service's configuration to an environment: copy-config (holding the environment's GitOps mutex for
// that step only), then the wait for Argo CD when a commit was pushed. `all: true` (promotions, bugfix and
// hotfix) copies every file of the service's config mappings from the checkout, so the release's
// configuration reaches the environment with its image; dev copies the files the push changed.
import { dag, param } from '@argots/dsl';
import { GITOPS_URL, SOURCE_DIR, githubSteps, gitopsWrite } from './org.js';
import { verifyDeploy } from './verify-deploy.js';

/** `config-to-<env>`: inputs `service`, `files`, `deleted`, `sourceCommit`. */
export function configDeploy(env: 'dev' | 'staging' | 'prod', options: { readonly all: boolean }) {
  return dag(
    `config-to-${env}`,
    {
      inputs: {
        service: param.string({ description: 'The service whose configuration is copied.' }),
        files: param.json({ default: '[]', description: 'Configuration files changed (JSON list).' }),
        deleted: param.json({ default: '[]', description: 'Configuration files deleted (JSON list).' }),
        sourceCommit: param.string({ description: 'The application commit of the checkout.' }),
      },
    },
    (d, i) => {
      const copied = d.task('copy-config', githubSteps.copyConfig({
        repo: SOURCE_DIR, gitopsUrl: GITOPS_URL, service: i.service, env, files: i.files, deleted: i.deleted, sourceCommit: i.sourceCommit,
        ...(options.all ? { all: true } : {}),
      }, gitopsWrite(env)));
      d.task('verify-deploy', verifyDeploy({ service: i.service, env, revision: copied.outputs.commit }), { when: copied.outputs.changed.eq('true') });
    },
  );
}
