/**
 * A streaming reader of tar archives (ustar, POSIX pax `path`/`linkpath`/`size` records, GNU long names and
 * base-256 sizes): what OCI layers are. Entries come one at a time; a body must be read (or skipped) before
 * the next entry is asked for. Nothing is buffered beyond one chunk of the source.
 */

export type TarEntryType = 'file' | 'hardlink' | 'symlink' | 'directory' | 'char' | 'block' | 'fifo' | 'other';

export interface TarEntry {
  /** The path as written in the archive (not normalised). */
  readonly path: string;
  readonly type: TarEntryType;
  readonly mode: number;
  readonly size: number;
  readonly mtime: number;
  readonly linkPath: string;
  /** The body, `size` bytes in chunks. Read it to the end, or let the reader skip it. */
  readonly body: () => AsyncIterable<Buffer>;
}

class ByteSource {
  private buffer: Buffer = Buffer.alloc(0);
  private done = false;
  constructor(private readonly iterator: AsyncIterator<Buffer>) {}

  private async fill(n: number): Promise<boolean> {
    while (this.buffer.length < n && !this.done) {
      const next = await this.iterator.next();
      if (next.done) this.done = true;
      else this.buffer = this.buffer.length === 0 ? next.value : Buffer.concat([this.buffer, next.value]);
    }
    return this.buffer.length >= n;
  }

  /** Exactly `n` bytes, or undefined at a clean end of input. Throws on an end in the middle. */
  async read(n: number): Promise<Buffer | undefined> {
    if (!(await this.fill(n))) {
      if (this.buffer.length === 0) return undefined;
      throw new Error(`the archive ends in the middle of a block (${this.buffer.length} of ${n} bytes)`);
    }
    const out = this.buffer.subarray(0, n);
    this.buffer = this.buffer.subarray(n);
    return out;
  }

  /** `n` bytes as a sequence of chunks. */
  async *chunks(n: number): AsyncGenerator<Buffer> {
    let left = n;
    while (left > 0) {
      if (this.buffer.length === 0 && !(await this.fill(1))) throw new Error(`the archive ends ${left} bytes before the end of an entry`);
      const take = Math.min(left, this.buffer.length);
      const out = this.buffer.subarray(0, take);
      this.buffer = this.buffer.subarray(take);
      left -= take;
      yield out;
    }
  }
}

function text(block: Buffer, offset: number, length: number): string {
  const field = block.subarray(offset, offset + length);
  const end = field.indexOf(0);
  return field.subarray(0, end === -1 ? field.length : end).toString('utf8');
}

function number(block: Buffer, offset: number, length: number): number {
  const field = block.subarray(offset, offset + length);
  if (((field[0] ?? 0) & 0x80) !== 0) {
    // GNU base-256: big-endian, first byte's high bit set.
    let value = (field[0] ?? 0) & 0x7f;
    for (let i = 1; i < field.length; i++) value = value * 256 + (field[i] ?? 0);
    return value;
  }
  const digits = text(block, offset, length).trim();
  return digits === '' ? 0 : parseInt(digits, 8);
}

function checksumOk(block: Buffer): boolean {
  let sum = 0;
  for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 32 : (block[i] ?? 0);
  return sum === number(block, 148, 8);
}

function parsePax(body: Buffer): Map<string, string> {
  const records = new Map<string, string>();
  let i = 0;
  while (i < body.length) {
    const space = body.indexOf(0x20, i);
    if (space === -1) break;
    const length = parseInt(body.subarray(i, space).toString('ascii'), 10);
    if (!Number.isFinite(length) || length <= 0) break;
    const record = body.subarray(space + 1, i + length - 1).toString('utf8');
    const eq = record.indexOf('=');
    if (eq !== -1) records.set(record.slice(0, eq), record.slice(eq + 1));
    i += length;
  }
  return records;
}

const TYPES: Readonly<Record<string, TarEntryType>> = { '0': 'file', '\0': 'file', '': 'file', '7': 'file', '1': 'hardlink', '2': 'symlink', '3': 'char', '4': 'block', '5': 'directory', '6': 'fifo' };

const padding = (size: number): number => (512 - (size % 512)) % 512;

/** Reads the entries of a tar stream (already decompressed). */
export async function* readTar(source: AsyncIterable<Buffer>): AsyncGenerator<TarEntry> {
  const bytes = new ByteSource(source[Symbol.asyncIterator]());
  let pax = new Map<string, string>();
  let longName: string | undefined;
  let longLink: string | undefined;
  for (;;) {
    const block = await bytes.read(512);
    if (!block || block.every((b) => b === 0)) return;
    if (!checksumOk(block)) throw new Error('a tar header has a wrong checksum (the layer is not a tar archive, or it is corrupt)');
    const flag = String.fromCharCode(block[156] ?? 0);
    const size = pax.has('size') ? Number(pax.get('size')) : number(block, 124, 12);
    if (flag === 'x' || flag === 'g' || flag === 'L' || flag === 'K') {
      const parts: Buffer[] = [];
      for await (const chunk of bytes.chunks(size)) parts.push(Buffer.from(chunk));
      await bytes.read(padding(size));
      const body = Buffer.concat(parts);
      if (flag === 'x') pax = new Map([...pax, ...parsePax(body)]);
      else if (flag === 'L') longName = text(body, 0, body.length);
      else if (flag === 'K') longLink = text(body, 0, body.length);
      continue;
    }
    const prefix = block.subarray(257, 263).toString('latin1').startsWith('ustar') ? text(block, 345, 155) : '';
    const name = text(block, 0, 100);
    const path = pax.get('path') ?? longName ?? (prefix ? `${prefix}/${name}` : name);
    const linkPath = pax.get('linkpath') ?? longLink ?? text(block, 157, 100);
    const type = TYPES[flag] ?? 'other';
    const bodySize = type === 'file' || type === 'other' ? size : 0;
    pax = new Map();
    longName = undefined;
    longLink = undefined;
    let consumed = false;
    const entry: TarEntry = {
      path,
      type,
      mode: number(block, 100, 8),
      size: bodySize,
      mtime: number(block, 136, 12),
      linkPath,
      body: () => {
        consumed = true;
        return bytes.chunks(bodySize);
      },
    };
    yield entry;
    if (!consumed) for await (const _ of bytes.chunks(bodySize)) void _;
    await bytes.read(padding(bodySize));
  }
}
