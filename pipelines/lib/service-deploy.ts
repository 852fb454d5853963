// One service's way to an environment, used by every flow that builds: build the image (Dockerfile or bake,
// pushed to the environment's registry), set it in the environment's manifests (holding the environment's
// GitOps mutex for that step only), and wait for Argo CD to run it. A service whose detection finds nothing
// to build is skipped, not failed, and no skipped task's outputs are read.
import { dag, output, param } from '@argots/dsl';
import { pickBakeImage } from './bake.js';
import { buildImage } from './build-image.js';
import { GITOPS_URL, SOURCE_DIR, githubSteps, gitopsWrite } from './org.js';
import { verifyDeploy } from './verify-deploy.js';

export interface ServiceDeployOptions {
  readonly env: 'dev' | 'staging' | 'prod';
  readonly registry: string;
}

/** `build-and-deploy-<env>`: inputs `service`, `context`, `tag`, `sourceCommit`; output `image`. */
export function serviceDeploy(options: ServiceDeployOptions) {
  const build = buildImage({ registry: options.registry, env: options.env });
  const update = githubSteps.updateManifests;
  return dag(
    `build-and-deploy-${options.env}`,
    {
      inputs: {
        service: param.string({ description: 'The service: its image repository and bake target.' }),
        context: param.string({ description: 'Its folder in the checkout.' }),
        tag: param.string({ description: 'Image tag (the commit).' }),
      },
      outputs: { image: output.returned() },
    },
    (d, i) => {
      const image = d.task('build', build.call({ service: i.service, context: i.context, tag: i.tag }));
      const built = image.outputs.kind.ne('none');
      const updated = d.task(`update-${options.env}-manifests`, update({
        // appRepo: the checkout, so an environment already running a newer commit's image is not set back (RUN744).
        gitopsUrl: GITOPS_URL, service: i.service, env: options.env, image: image.outputs.imageRef, sourceCommit: i.tag, appRepo: SOURCE_DIR,
      }, gitopsWrite(options.env)), { when: built });
      d.task('verify-deploy', verifyDeploy({ service: i.service, env: options.env, revision: updated.outputs.commit }), { when: built });
      return { image: image.outputs.imageRef };
    },
  );
}

/**
 * `deploy-baked-<env>`: one service of a bake run that built every changed service at once (a repository
 * whose root bake file has a target per service): its image picked from bake's metadata → manifests (mutex)
 * → `verify-deploy`.
 */
export function bakedServiceDeploy(env: 'dev' | 'staging' | 'prod') {
  return dag(
    `deploy-baked-${env}`,
    {
      inputs: {
        service: param.string({ description: 'The service: its bake target.' }),
        metadata: param.json({ description: "The bake run's metadata (per target: image.name, containerimage.digest)." }),
        sourceCommit: param.string({ description: 'The commit built.' }),
      },
    },
    (d, i) => {
      const pick = d.task('pick', pickBakeImage.call({ metadata: i.metadata, target: i.service }));
      const updated = d.task(`update-${env}-manifests`, githubSteps.updateManifests({
        gitopsUrl: GITOPS_URL, service: i.service, env, image: pick.outputs.imageRef, sourceCommit: i.sourceCommit, appRepo: SOURCE_DIR,
      }, gitopsWrite(env)));
      d.task('verify-deploy', verifyDeploy({ service: i.service, env, revision: updated.outputs.commit }));
    },
  );
}
