/**
 * Reads `git diff --raw -z` output as it arrives, so the files are classified while git is still writing and
 * exiting. Per entry: `:<old mode> <new mode> <old sha> <new sha> <status>\0<path>\0` (a second path after a
 * rename or copy). Modes are six digits at fixed places; the status is the text after the last space (its
 * letter, then a similarity score for R and C). `git diff --name-status -z` output (`<status>\0<path>\0…`,
 * no modes, so no submodule is recognised) is read the same way.
 *
 * ```ts
 * const reader = new RawDiffReader((file) => files.push(file), (path) => rules.classify(path));
 * reader.push(chunk); // as often as output comes
 * reader.end();
 * ```
 */
import type { FileClass } from '../change-rules.js';
import type { ChangedFile } from '../detect-changes.js';

export class RawDiffReader {
  /** The start of an entry not complete yet. */
  #rest = '';

  constructor(
    private readonly onFile: (file: ChangedFile) => void,
    private readonly classify: (path: string) => FileClass,
  ) {}

  /** Reads the complete entries; the rest waits for the next piece. */
  push(piece: string): void {
    const rest = this.#rest;
    if (rest === '') {
      this.#rest = piece.slice(this.#read(piece, 0, false));
      return;
    }
    // Finish the entry the last piece began (it lacks at most three NULs), then read on in this piece: only
    // that entry is copied.
    let k = 0;
    for (let n = 0; n < 3 && k < piece.length; n++) {
      const nul = piece.indexOf('\0', k);
      k = nul === -1 ? piece.length : nul + 1;
    }
    const joined = rest + piece.slice(0, k);
    const at = this.#read(joined, 0, false);
    this.#rest = k === piece.length ? joined.slice(at) : piece.slice(this.#read(piece, at - rest.length, false));
  }

  /** The output is complete: a field without its NUL ends with the output (a missing one is empty). */
  end(): void {
    this.#read(this.#rest, 0, true);
    this.#rest = '';
  }

  /** Reads entries from `out` at `from`; returns where the first incomplete one starts (unless `last`). */
  #read(out: string, from: number, last: boolean): number {
    let i = from;
    // The end of the field starting at `at`: its NUL, or (in the last piece) the end of the output.
    const end = (at: number): number => {
      const nul = out.indexOf('\0', at);
      return nul !== -1 || !last ? nul : out.length;
    };
    while (i < out.length) {
      const meta = i;
      const metaEnd = end(meta);
      if (metaEnd === -1) break;
      if (metaEnd === meta) {
        i = meta + 1;
        continue;
      }
      // `:…` is a --raw entry (modes, object names, status); anything else is a --name-status one (status).
      const raw = out.charCodeAt(meta) === 58;
      const space = raw ? out.lastIndexOf(' ', metaEnd - 1) : meta - 1;
      const letter = space < meta - 1 ? 'M' : space + 1 < metaEnd ? out.charAt(space + 1) : 'M';
      const pair = letter === 'R' || letter === 'C';
      const end1 = metaEnd + 1 < out.length ? end(metaEnd + 1) : last ? metaEnd + 1 : -1;
      const end2 = !pair ? end1 : end1 !== -1 && end1 + 1 < out.length ? end(end1 + 1) : last ? end1 + 1 : -1;
      if (end1 === -1 || end2 === -1) break;
      const path1 = out.slice(metaEnd + 1, end1);
      i = end2 + 1;
      if (pair) {
        const path2 = out.slice(end1 + 1, end2);
        this.onFile({ path: path2, status: letter === 'R' ? 'R' : 'A', oldPath: path1, class: this.classify(path2) });
        continue;
      }
      const submodule = raw && (out.startsWith('160000', meta + 1) || out.startsWith('160000', meta + 8));
      const status = letter === 'A' || letter === 'D' || letter === 'T' ? letter : 'M';
      this.onFile({ path: path1, status: submodule && status === 'M' ? 'S' : status, class: submodule ? 'code' : this.classify(path1) });
    }
    return Math.min(i, out.length);
  }
}
