/** A small GitOps repository for the flow tests: one service, Kustomize overlays for dev, staging and prod. */
import type { World } from '../github/world.js';

export const digest = (c: string): string => `sha256:${c.repeat(64)}`;
export const image = (c: string, tag: string): string => `registry.acme.io/shop/api:${tag}@${digest(c)}`;

export function gitopsFiles(): Record<string, string> {
  const files: Record<string, string> = {
    'argots.yaml': 'defaults:\n  path: apps/{service}/overlays/{env}\nenvironments: [dev, staging, prod]\nservices:\n  shop-api:\n    images: [shop/api]\n',
    'base/shop-api/kustomization.yaml': 'resources:\n  - deployment.yaml\n',
    'base/shop-api/deployment.yaml':
      'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: shop-api\nspec:\n  template:\n    spec:\n      containers:\n        - name: app\n          image: shop/api:latest\n',
  };
  for (const env of ['dev', 'staging', 'prod']) {
    files[`apps/shop-api/overlays/${env}/kustomization.yaml`] =
      `# shop-api in ${env}\nresources:\n  - ../../../../base/shop-api\nimages:\n  - name: shop/api   # as in base\n    newName: registry.acme.io/shop/api\n    newTag: "1.3.0"\n`;
  }
  return files;
}

export async function createGitops(world: World): Promise<string> {
  const { url } = await world.createRepo('acme/gitops', 'main');
  await world.commit('acme/gitops', 'main', gitopsFiles(), 'initial layout');
  return url;
}
