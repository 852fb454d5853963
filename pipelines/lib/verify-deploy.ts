// After a GitOps push: wait until Argo CD has synced the Application to that commit, or to a later commit of
// the branch that contains it (another service's push; checked in the GitOps repository), and reports it
// Healthy. An Argo Rollout counts as healthy only once its canary or blue-green steps and analysis are done;
// an aborted rollout (Degraded) fails the step. The Application is `<service>-<env>` (the org's naming) and
// must deploy from the GitOps repository, or the step fails instead of watching the wrong thing.
import { text } from '@argots/dsl';
import type { Value } from '@argots/dsl';
import { ARGOCD_SERVER, GITOPS_URL, argocdSteps } from './org.js';

export interface VerifyDeployArgs<S> {
  readonly service: string | Value<string, S>;
  readonly env: 'dev' | 'staging' | 'prod';
  /** The GitOps commit the manifests step pushed (its `commit` output). */
  readonly revision: Value<string, S>;
}

/** `wait-for-deploy` on `<service>-<env>` for `revision`. */
export function verifyDeploy<S>(args: VerifyDeployArgs<S>) {
  return argocdSteps.waitForDeploy<S>({
    server: ARGOCD_SERVER,
    application: text`${args.service}-${args.env}`,
    gitopsUrl: GITOPS_URL,
    revision: args.revision,
    timeoutSeconds: 900,
  });
}
