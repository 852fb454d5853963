// The smallest useful pipeline: a parameter, a container with a typed output, a runtime step that reads
// it (the edge build → deploy comes from that read: `build.Succeeded`, so a skipped build deploys nothing),
// and a condition on an enum output.
import { container, output, param, pipeline, steps } from '@argots/dsl';

const build = container('build', {
  inputs: { tag: param.string() },
  // updateManifests wants a pinned reference, repository:tag@sha256:…, not a bare digest.
  outputs: { imageRef: output.path('/tmp/image-ref') },
  container: (i) => ({
    image: 'alpine:3.20',
    command: ['sh', '-c', 'echo "registry.acme.io/hello:$0@sha256:$(echo "$0" | sha256sum | cut -c1-64)" > /tmp/image-ref'],
    args: [i.tag],
  }),
});

export default pipeline('hello-dag', (p) => {
  const sha = p.param('sha', param.string({ description: 'The commit to build.' }));
  const change = p.task('detect', steps.detectChanges({ repo: '/workspace/src', before: sha, after: sha }));
  const image = p.task('build', build.call({ tag: sha }), { when: change.outputs.kind.eq('code') });
  p.task('deploy', steps.updateManifests({
    gitopsUrl: 'https://git.acme.io/gitops.git', service: 'hello', env: 'dev', image: image.outputs.imageRef,
  }));
});
