import { parseRepositoryName } from './repository-name.js';

/**
 * The HTTPS clone URL of a repository on the GitHub that an API URL belongs to:
 * `https://api.github.com` → `https://github.com/acme/shop.git`;
 * GitHub Enterprise Server `https://ghe.acme.io/api/v3` → `https://ghe.acme.io/acme/shop.git`.
 */
export function cloneUrlFor(apiBaseUrl: string, repository: string): string {
  const { owner, repo } = parseRepositoryName(repository);
  const api = new URL(apiBaseUrl);
  const web = api.hostname === 'api.github.com' ? 'https://github.com' : `${api.protocol}//${api.host}${api.pathname.replace(/\/api\/v3\/?$/, '').replace(/\/+$/, '')}`;
  return `${web}/${owner}/${repo}.git`;
}
