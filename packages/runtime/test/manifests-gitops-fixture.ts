/** A GitOps repository for tests: a layout file, Kustomize overlays, Helm values, Argo CD Applications, plain manifests. */
export const DIGEST_A = `sha256:${'a'.repeat(64)}`;
export const DIGEST_B = `sha256:${'b'.repeat(64)}`;
export const REGISTRY = 'registry.dev.acme.io';

export function kustomizeService(name: string, envs: readonly string[]): Record<string, string> {
  const files: Record<string, string> = {
    [`base/${name}/kustomization.yaml`]: `resources:\n  - deployment.yaml\n`,
    [`base/${name}/deployment.yaml`]: `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${name}\nspec:\n  selector:\n    matchLabels: {app: ${name}}\n  template:\n    metadata:\n      labels: {app: ${name}}\n    spec:\n      containers:\n        - name: app\n          image: shop/${name}:latest\n`,
  };
  for (const env of envs) {
    files[`apps/${name}/overlays/${env}/kustomization.yaml`] =
      `# ${name} in ${env}\napiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - ../../../../base/${name}   # base\nnamespace: ${env}\n\nimages:\n  - name: shop/${name}   # as in base\n    newName: ${REGISTRY}/shop/${name}\n    newTag: "0.1.0"\n`;
  }
  return files;
}

/** A chart template rendering `repository:tag@digest` (the digest when set), as update-manifests renders after editing. */
function chartDeployment(name: string): string {
  return `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${name}\nspec:\n  selector:\n    matchLabels: {app: ${name}}\n  template:\n    metadata:\n      labels: {app: ${name}}\n    spec:\n      containers:\n        - name: app\n          image: "{{ .Values.image.repository }}:{{ .Values.image.tag }}{{ with .Values.image.digest }}@{{ . }}{{ end }}"\n`;
}

/** `gitopsUrl`: the repository's own URL, which the Argo CD Application of shop-worker names as its sources. */
export function gitopsFiles(extraServices: readonly string[] = [], gitopsUrl = 'https://github.com/acme/gitops.git'): Record<string, string> {
  const services = ['shop-api', ...extraServices];
  const layoutServices = services
    .map((s) => `  ${s}:\n    images: [shop/${s}]\n    config:\n      - { from: services/${s}/config, to: config }\n`)
    .join('');
  return {
    'argots.yaml': `# how services map to folders\ndefaults:\n  path: apps/{service}/overlays/{env}\nenvironments: [dev, staging]\nservices:\n${layoutServices}  shop-web:\n    environments:\n      dev: apps/shop-web/dev\n  shop-worker:\n    environments:\n      dev: argocd/shop-worker-dev.yaml\n  shop-cron:\n    environments:\n      dev: plain/shop-cron\n  ghost:\n    environments:\n      dev: apps/ghost/overlays/dev\n  broken:\n    environments:\n      dev: apps/broken/dev\n`,
    ...Object.assign({}, ...services.map((s) => kustomizeService(s, ['dev', 'staging']))),
    'apps/shop-web/dev/Chart.yaml': 'apiVersion: v2\nname: shop-web\nversion: 0.1.0\n',
    'apps/shop-web/dev/values.yaml': '# shared\nimage:\n  repository: registry.dev.acme.io/shop/web\n  tag: "0.1.0"\n',
    'apps/shop-web/dev/values-dev.yaml': '# dev overrides\nimage:\n  tag: "0.1.0"  # bumped by argots\nreplicaCount: 1\n',
    'apps/shop-web/dev/templates/deployment.yaml': chartDeployment('shop-web'),
    'charts/worker/Chart.yaml': 'apiVersion: v2\nname: worker\nversion: 1.0.0\n',
    'charts/worker/values.yaml': 'image:\n  repository: registry.dev.acme.io/shop/shop-worker\n  tag: latest\n',
    'charts/worker/templates/deployment.yaml': chartDeployment('shop-worker'),
    'argocd/shop-worker-dev.yaml': `apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: shop-worker-dev\nspec:\n  project: default\n  sources:\n    - repoURL: ${gitopsUrl}\n      path: charts/worker\n      targetRevision: main\n      helm:\n        valueFiles:\n          - $values/values/shop-worker/dev.yaml\n    - repoURL: ${gitopsUrl}\n      targetRevision: main\n      ref: values\n  destination: {server: https://kubernetes.default.svc, namespace: dev}\n`,
    'values/shop-worker/dev.yaml': 'image:\n  repository: registry.dev.acme.io/shop/shop-worker\n  tag: old\n',
    'plain/shop-cron/cronjob.yaml': `apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: shop-cron\nspec:\n  schedule: "*/5 * * * *"\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          restartPolicy: Never\n          containers:\n            - name: cron\n              image: registry.dev.acme.io/shop/shop-cron:0.1.0\n`,
    'apps/broken/dev/kustomization.yaml': 'images:\n  - name: shop/broken\n    newTag: [unclosed\n',
  };
}
