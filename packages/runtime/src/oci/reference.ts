/** Image references: `[registry/]repository[:tag][@sha256:…]`. */
import { isDigest } from './digest.js';

export interface ImageReference {
  /** Registry host (with port), or undefined when the reference names none. */
  readonly registry: string | undefined;
  readonly repository: string;
  readonly tag: string | undefined;
  readonly digest: string | undefined;
}

const REPOSITORY = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/;
const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;

/** Parses a reference; returns a message naming what is wrong instead of throwing. */
export function parseImageReference(text: string): ImageReference | { readonly error: string } {
  let rest = text.trim();
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at !== -1) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!isDigest(digest)) return { error: `"${digest}" is not a sha256 digest (expected sha256: and 64 lower-case hex digits)` };
  }
  let registry: string | undefined;
  const slash = rest.indexOf('/');
  if (slash !== -1) {
    const first = rest.slice(0, slash);
    if (first.includes('.') || first.includes(':') || first === 'localhost') {
      registry = first;
      rest = rest.slice(slash + 1);
    }
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon !== -1) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG.test(tag)) return { error: `"${tag}" is not a valid tag` };
  }
  if (!REPOSITORY.test(rest)) return { error: `"${rest}" is not a valid repository name (lower case, separated by / . _ -)` };
  if (tag === undefined && digest === undefined) return { error: 'a tag or a digest is required (for example ":1.4.0" or "@sha256:…")' };
  return { registry, repository: rest, tag, digest };
}

export function formatReference(r: { registry?: string | undefined; repository: string; tag?: string | undefined; digest?: string | undefined }): string {
  return `${r.registry ? `${r.registry}/` : ''}${r.repository}${r.tag ? `:${r.tag}` : ''}${r.digest ? `@${r.digest}` : ''}`;
}
