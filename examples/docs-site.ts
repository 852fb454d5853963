// Artifacts end to end: the docs source comes in as a git artifact, the site generator as an http
// artifact (a release tarball), the style guide from S3; the built site goes out as a tar.gz artifact to
// S3 and is passed to the next task by reference (`from`), and a PDF goes to GCS unarchived. The
// pipeline runs on every push to main (trigger) or by hand with a revision.
import { artifact, container, github, param, pipeline } from '@argots/dsl';

const build = container('build-site', {
  inputs: {
    revision: param.string({ description: 'Commit or branch of the docs.' }),
    source: artifact({ path: '/src', git: { repo: 'https://github.com/acme/docs.git', revision: '{{inputs.parameters.revision}}', depth: 1, usernameSecret: { name: 'github-read', key: 'username' }, passwordSecret: { name: 'github-read', key: 'token' } } }),
    hugo: artifact({ path: '/opt/hugo', mode: 0o755, http: { url: 'https://github.com/gohugoio/hugo/releases/download/v0.136.5/hugo_0.136.5_linux-amd64.tar.gz' } }),
    styles: artifact({ path: '/styles', s3: { endpoint: 's3.eu-west-1.amazonaws.com', bucket: 'acme-brand', key: 'styles/v3/', accessKeySecret: { name: 's3-read', key: 'access-key' }, secretKeySecret: { name: 's3-read', key: 'secret-key' } } }),
  },
  outputs: {
    site: artifact({
      path: '/out/site',
      s3: { endpoint: 's3.eu-west-1.amazonaws.com', bucket: 'acme-docs-builds', key: 'site/{{workflow.uid}}.tgz', accessKeySecret: { name: 's3-write', key: 'access-key' }, secretKeySecret: { name: 's3-write', key: 'secret-key' } },
      archive: { tar: { compressionLevel: 6 } },
    }),
    pdf: artifact({
      path: '/out/handbook.pdf',
      gcs: { bucket: 'acme-docs-pdf', key: 'handbook/{{workflow.creationTimestamp.Y}}/handbook.pdf', serviceAccountKeySecret: { name: 'gcs-docs', key: 'key.json' } },
      archive: { none: {} },
    }),
  },
  container: {
    image: 'ghcr.io/acme/docs-builder:2.0.1',
    command: ['/opt/hugo/hugo'],
    args: ['--source', '/src', '--themesDir', '/styles', '--destination', '/out/site'],
  },
});

const publish = container('publish-site', {
  inputs: { site: artifact({ path: '/site' }), bucket: param.string({ default: 'docs.acme.io' }) },
  container: (i) => ({ image: 'amazon/aws-cli:2.18.0', args: ['s3', 'sync', '/site', `s3://${'{{inputs.parameters.bucket}}'}`, '--delete'], env: { BUCKET: i.bucket } }),
});

export default pipeline('docs-site', { serviceAccountName: 'docs-builder', ttlStrategy: { secondsAfterSuccess: 600 } }, (p) => {
  const { revision } = p.trigger(github.push({ repo: 'acme/docs', branches: ['main'] }), (e) => ({ revision: e.after }), { serviceAccountName: 'argo-events-sensor' });
  const site = p.task('build', build.call({ revision }));
  p.task('publish', publish.call({ site: site.outputs.site }));
});
