/**
 * Image references as deployments use them: `registry/repo:tag@sha256:<64 hex>`. The digest is what is
 * deployed; the tag is kept for readers.
 */
import { RuntimeError } from '../runtime-error.js';

export interface ImageRef {
  /** `registry.acme.io/shop/api` (no tag, no digest). */
  readonly repository: string;
  readonly tag: string | undefined;
  /** `sha256:...` */
  readonly digest: string | undefined;
}

const REF = /^((?:[a-zA-Z0-9.-]+(?::[0-9]+)?\/)?[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*)(?::([\w][\w.-]{0,127}))?(?:@(sha256:[0-9a-f]{64}))?$/;

/** Parses an image reference, or returns undefined when it is not one. */
export function tryParseImageRef(ref: string): ImageRef | undefined {
  const m = REF.exec(ref.trim());
  if (!m || m[1] === undefined) return undefined;
  return { repository: m[1], tag: m[2], digest: m[3] };
}

/** Parses an image reference that must carry a digest (what a deployment is set to). */
export function parseDigestRef(ref: string, subject = 'image'): ImageRef & { readonly digest: string } {
  const parsed = tryParseImageRef(ref);
  if (!parsed || parsed.digest === undefined) {
    throw new RuntimeError('RUN710', `${subject} must be an image reference with a sha256 digest, like "registry.acme.io/shop/api:1.4.2@sha256:<64 hex>", received "${ref}"`, {
      hint: 'pass the digest reference the build step printed (its digestRef output), not a tag',
    });
  }
  return { ...parsed, digest: parsed.digest };
}

/** `repo:tag@digest` (or `repo@digest` without a tag). */
export function formatImageRef(ref: ImageRef): string {
  return `${ref.repository}${ref.tag ? `:${ref.tag}` : ''}${ref.digest ? `@${ref.digest}` : ''}`;
}

/** The last path element of a repository (`shop/api` → `api`). */
export function imageBaseName(repository: string): string {
  return repository.slice(repository.lastIndexOf('/') + 1);
}

/**
 * Whether an image in a manifest is "the same image" as `target`: same repository, or — when `names` are
 * given (the layout's image names for the service) — one of those.
 */
export function matchesImage(candidate: string, target: ImageRef, names: readonly string[] = []): boolean {
  const repo = tryParseImageRef(candidate)?.repository ?? candidate.split(/[:@]/)[0] ?? candidate;
  if (names.length > 0) return names.includes(repo) || names.includes(candidate);
  return repo === target.repository;
}
