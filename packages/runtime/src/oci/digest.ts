/** Content digests (`sha256:<64 hex>`): computing them, and checking bytes against them as they stream. */
import { createHash, type Hash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';

export const DIGEST_PATTERN = /^sha256:[a-f0-9]{64}$/;

export function isDigest(value: string): boolean {
  return DIGEST_PATTERN.test(value);
}

export function sha256Digest(bytes: Buffer | string): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

/** A blob's bytes did not hash to the digest (or size) they were fetched by. */
export class DigestMismatchError extends Error {
  constructor(readonly expected: string, readonly received: string, readonly what: string) {
    super(`${what}: expected digest ${expected}, received ${received}`);
    this.name = 'DigestMismatchError';
  }
}

/**
 * Passes bytes through while hashing them; fails the stream at its end (before the last byte leaves) when
 * the digest or size differs, so a consumer uploading the stream never completes a wrong blob.
 */
export class DigestVerifier extends Transform {
  private readonly hash: Hash = createHash('sha256');
  private held: Buffer | undefined;
  private seen = 0;
  constructor(private readonly expected: string, private readonly size: number, private readonly what: string, private readonly onBytes?: (n: number) => void) {
    // 1 MB buffers each side: fewer, larger writes to the target (bounded: about 2 MB per blob in flight).
    super({ highWaterMark: 1024 * 1024 });
  }
  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.hash.update(chunk);
    this.seen += chunk.length;
    this.onBytes?.(chunk.length);
    if (this.seen > this.size) return done(new DigestMismatchError(`${this.size} bytes`, `more than ${this.size} bytes`, this.what));
    // Hold back the last chunk until the digest is known to be right.
    const previous = this.held;
    this.held = chunk;
    done(null, previous);
  }
  override _flush(done: TransformCallback): void {
    const actual = `sha256:${this.hash.digest('hex')}`;
    if (this.seen !== this.size) return done(new DigestMismatchError(`${this.size} bytes`, `${this.seen} bytes`, this.what));
    if (actual !== this.expected) return done(new DigestMismatchError(this.expected, actual, this.what));
    done(null, this.held);
  }
}
