/** Failures talking to a registry, and which of them are worth another attempt. */
import { RuntimeError } from '../runtime-error.js';
import { DigestMismatchError } from './digest.js';
import { NetworkError } from './_internal/http.js';

/** The registry answered with a status the request did not expect (and that is not worth retrying). */
export class RegistryStatusError extends RuntimeError {
  constructor(readonly status: number, message: string, hint: string) {
    super('RUN504', message, { hint });
    this.name = 'RegistryStatusError';
  }
}

/** A status the registry may not mean for good: 429 (too many requests) or a 5xx. */
export class TransientStatusError extends Error {
  constructor(readonly status: number, readonly retryAfter: string | undefined, message: string) {
    super(message);
    this.name = 'TransientStatusError';
  }
}

export function isTransient(error: unknown): boolean {
  return error instanceof TransientStatusError || error instanceof NetworkError || error instanceof DigestMismatchError;
}

/** The `errors[0]` of a registry's JSON error body, as `CODE: message`. */
export function describeRegistryErrorBody(body: Buffer): string {
  try {
    const parsed = JSON.parse(body.toString('utf8')) as { errors?: { code?: string; message?: string }[] };
    const first = parsed.errors?.[0];
    if (first) return `${first.code ?? 'ERROR'}: ${first.message ?? ''}`.trim();
  } catch {
    /* not JSON */
  }
  return body.toString('utf8').slice(0, 200).trim();
}

/**
 * A 400 saying the bytes the registry received are not the bytes sent — the digest or size does not match, or
 * the manifest does not parse — which for bytes verified before sending means they were changed or cut short
 * on the way: sending them again can succeed.
 */
export function isUploadFault(error: unknown): boolean {
  return error instanceof RegistryStatusError && error.status === 400 && /\b(DIGEST_INVALID|SIZE_INVALID|BLOB_UPLOAD_INVALID|MANIFEST_INVALID)\b/.test(error.message);
}

/** Turns a transient error that outlived its retries into a user-facing one. */
export function gaveUp(what: string, attempts: number, error: unknown): RuntimeError {
  const detail = error instanceof Error ? error.message : String(error);
  return new RuntimeError('RUN520', `${what} failed after ${attempts} attempts: ${detail}`, {
    hint: 'the registry or the network kept failing; nothing was tagged in the target, so re-running the step is safe',
    cause: error,
  });
}
