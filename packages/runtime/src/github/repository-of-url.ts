/**
 * The repository name a clone URL points at (`https://github.com/acme/gitops.git` → `gitops`), for
 * narrowing an installation token to it. `undefined` when the URL has no such path.
 */
export function repositoryOfUrl(url: string): string | undefined {
  let path: string;
  try {
    path = new URL(url).pathname;
  } catch {
    return undefined;
  }
  const name = path.replace(/\/+$/, '').replace(/\.git$/, '').split('/').pop();
  return name && /^[A-Za-z0-9_.-]+$/.test(name) ? name : undefined;
}
