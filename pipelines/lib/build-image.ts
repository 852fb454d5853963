// "How does this service build?" answered by the runtime (`detect-build`), then the matching DAG task:
// a rootless BuildKit Dockerfile build, or a docker-bake multi-target build. Either way the DAG's output
// is the pushed `registry/repo:tag@sha256:…`.
import { dag, output, param, text } from '@argots/dsl';
import { bakeBuild } from './bake.js';
import { buildkitBuild } from './buildkit.js';
import { SOURCE_DIR, steps } from './org.js';

export interface BuildImageOptions {
  /** The registry repository prefix, e.g. europe-docker.pkg.dev/acme-ci/shop-dev. */
  readonly registry: string;
  /** Its environment (push credentials: the pod's Workload Identity, through registry-login). */
  readonly env: 'dev' | 'staging' | 'prod';
}

/** Detects the build kind of `context` and runs the Dockerfile or the bake task; outputs `imageRef`. */
export function buildImage(options: BuildImageOptions) {
  const dockerfileBuild = buildkitBuild({ env: options.env });
  const bake = bakeBuild({ env: options.env, registry: options.registry });
  return dag(
    'build-image',
    {
      inputs: {
        service: param.string({ description: 'Service name: the image repository and the bake target.' }),
        context: param.string({ description: 'Directory of the service in the checkout.' }),
        tag: param.string({ description: 'Image tag (the commit).' }),
      },
      outputs: {
        // Only a task that ran is read: when detection finds nothing to build, neither did, and the image is ''.
        imageRef: output.expression(
          "tasks.dockerfile.status == 'Succeeded' ? tasks.dockerfile.outputs.parameters.imageRef : (tasks.bake.status == 'Succeeded' ? tasks.bake.outputs.parameters.imageRef : '')",
          { description: 'The pushed image, registry/repo:tag@sha256:… (empty when nothing was built).' },
        ),
        kind: output.expression("tasks['detect-build'].outputs.parameters.kind", { description: 'How the service built: dockerfile, bake or none.' }),
      },
    },
    (d, i) => {
      const how = d.task('detect-build', steps.detectBuild({ repo: SOURCE_DIR, context: i.context }));
      d.task('dockerfile', dockerfileBuild.call({ context: text`${SOURCE_DIR}/${i.context}`, image: text`${options.registry}/${i.service}:${i.tag}` }), {
        when: how.outputs.kind.eq('dockerfile'),
      });
      d.task('bake', bake.call({ context: text`${SOURCE_DIR}/${i.context}`, target: i.service, tag: i.tag }), {
        when: how.outputs.kind.eq('bake'),
      });
    },
  );
}
