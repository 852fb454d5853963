import { RuntimeError } from '../runtime-error.js';
import { shorten } from '../redact.js';

export interface RepositoryName {
  readonly owner: string;
  readonly repo: string;
}

/** `acme/shop` → `{ owner: 'acme', repo: 'shop' }`; anything else is a clear error. */
export function parseRepositoryName(fullName: string): RepositoryName {
  const m = /^([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+?)(?:\.git)?$/.exec(fullName);
  if (!m?.[1] || !m[2]) {
    throw new RuntimeError('RUN330', `repository: expected "owner/name", received "${shorten(fullName)}"`, { hint: 'for example acme/shop' });
  }
  return { owner: m[1], repo: m[2] };
}
