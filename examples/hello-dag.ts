// The smallest useful pipeline: a parameter, a container with a typed output, a runtime step that reads
// it (the edge build → deploy comes from that read, as `depends: build.Succeeded`: deploy does not start when
// build is skipped), and a condition on an enum output.
import { container, output, param, pipeline, steps, text } from '@argots/dsl';

const build = container('build', {
  inputs: { tag: param.string() },
  outputs: { digest: output.path('/tmp/digest') },
  container: (i) => ({
    image: 'alpine:3.20',
    // Writes the digest of the image it "built": `sha256:` and 64 hex digits.
    command: ['sh', '-c', 'echo "sha256:$(echo "$0" | sha256sum | cut -c1-64)" > /tmp/digest'],
    args: [i.tag],
  }),
});

export default pipeline('hello-dag', (p) => {
  const sha = p.param('sha', param.string({ description: 'The commit to build.' }));
  const change = p.task('detect', steps.detectChanges({ repo: '/workspace/src', before: sha, after: sha }));
  const image = p.task('build', build.call({ tag: sha }), { when: change.outputs.kind.eq('code') });
  // update-manifests wants the image by digest: `repo:tag@sha256:…`, not the bare digest.
  p.task('deploy', steps.updateManifests({
    gitopsUrl: 'https://git.acme.io/gitops.git', service: 'hello', env: 'dev',
    image: text`registry.acme.io/hello:${sha}@${image.outputs.digest}`,
  }));
});
