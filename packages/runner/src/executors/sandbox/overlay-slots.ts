/**
 * Overlay roots for the steps, mounted in the zygote's mount namespace: each step gets a fresh one (the image's
 * cached root as the read-only lower layer, a new folder as the upper layer), so no step sees another's writes
 * and the cache is never written. A root is used by one step only, then unmounted and removed.
 *
 * Mounting is batched, since a program start is most of what a mount costs: spare roots are mounted ahead,
 * {@link BATCH} at a time by one `mount -a -T <fstab>` (while the current step runs), and used roots are
 * unmounted together by one `umount <merged…>` once {@link BATCH} have gathered or the executor has been idle
 * for {@link FLUSH_MS}. {@link OverlaySlots.close} unmounts and removes everything.
 */
import { chmod, mkdir, mkdtemp, rm, rmdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ExecutorError } from '../executor.js';
import type { Zygote } from './zygote.js';

export interface Slot {
  readonly dir: string;
  readonly merged: string;
}

/** Roots mounted (and unmounted) by one program. */
const BATCH = 8;
/** A used root waits at most this long for others to be unmounted with it. */
const FLUSH_MS = 150;

/** An fstab field: space, tab, newline and backslash as octal escapes (libmount unescapes them). */
function fstabField(value: string): string {
  return value.replace(/[\s\\]/g, (c) => `\\${c.charCodeAt(0).toString(8).padStart(3, '0')}`);
}

export class OverlaySlots {
  /** Mounted, unused roots per lower layer. */
  private readonly ready = new Map<string, Slot[]>();
  /** The batch being mounted per lower layer. */
  private readonly mounting = new Map<string, Promise<void>>();
  private released: Slot[] = [];
  private flushTimer: NodeJS.Timeout | undefined;
  private readonly cleanups = new Set<Promise<void>>();

  constructor(
    private readonly zygote: Zygote,
    private readonly tools: { readonly mount: string; readonly umount: string },
    private readonly base: string,
    private readonly env: Readonly<Record<string, string>>,
    private readonly hint: string,
  ) {}

  /** Mounts {@link BATCH} roots over `lower` with one `mount -a -T`, and adds them to the ready ones. */
  private async mountBatch(lower: string): Promise<void> {
    const batch = await mkdtemp(join(this.base, 'argots-sandbox-'));
    const slots: Slot[] = [];
    const lines: string[] = [];
    try {
      for (let i = 0; i < BATCH; i++) {
        const dir = join(batch, String(i));
        const [upper, work, merged] = [join(dir, 'upper'), join(dir, 'work'), join(dir, 'merged')];
        await mkdir(dir);
        for (const d of [upper, work, merged]) await mkdir(d);
        slots.push({ dir, merged });
        lines.push(`overlay ${fstabField(merged)} overlay ${fstabField(`lowerdir=${lower},upperdir=${upper},workdir=${work}`)} 0 0`);
      }
      const fstab = join(batch, 'fstab');
      await writeFile(fstab, `${lines.join('\n')}\n`, { mode: 0o600 });
      const r = await this.zygote.exec(this.tools.mount, ['-a', '-T', fstab], this.env);
      if (r.code !== 0) {
        // Some may be mounted: take them down before the folders go.
        await this.zygote.exec(this.tools.umount, slots.map((s) => s.merged), this.env);
        throw new ExecutorError('EXE107', `the sandbox could not mount its overlay root (${r.stderr.trim()})`, this.hint);
      }
    } catch (error) {
      await this.remove(batch, slots);
      throw error;
    }
    const list = this.ready.get(lower) ?? [];
    list.push(...slots);
    this.ready.set(lower, list);
  }

  /** Starts mounting a batch over `lower` unless one is under way. */
  private refill(lower: string): Promise<void> {
    let m = this.mounting.get(lower);
    if (!m) {
      m = this.mountBatch(lower).finally(() => this.mounting.delete(lower));
      this.mounting.set(lower, m);
    }
    return m;
  }

  /** A freshly mounted root over `lower`, used by no step before; more are mounted ahead. */
  async acquire(lower: string): Promise<Slot> {
    for (;;) {
      const list = this.ready.get(lower);
      const slot = list?.shift();
      if (slot) {
        // Keep one ready for the next step: mount the next batch while this step runs.
        if ((list?.length ?? 0) < 1) this.refill(lower).catch(() => undefined);
        return slot;
      }
      await this.refill(lower);
    }
  }

  /** Gives back a used root: unmounted and removed in the background, with others. */
  release(slot: Slot): void {
    this.released.push(slot);
    if (this.released.length >= BATCH) this.flush();
    else if (!this.flushTimer) {
      this.flushTimer = setTimeout(() => this.flush(), FLUSH_MS);
      this.flushTimer.unref();
    }
  }

  private flush(): void {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    const slots = this.released;
    this.released = [];
    if (slots.length === 0) return;
    const p = (async () => {
      await this.zygote.exec(this.tools.umount, slots.map((s) => s.merged), this.env);
      await Promise.all(slots.map((s) => this.remove(s.dir, [s])));
      // The batch folder goes with its last root (rmdir fails while others remain).
      await Promise.all([...new Set(slots.map((s) => join(s.dir, '..')))].map((b) => this.removeBatchIfEmpty(b)));
    })();
    this.cleanups.add(p);
    void p.finally(() => this.cleanups.delete(p));
  }

  private async remove(dir: string, slots: readonly Slot[]): Promise<void> {
    // overlayfs leaves its work folder without permissions; give them back so the folder can go.
    for (const s of slots) await chmod(join(s.dir, 'work', 'work'), 0o700).catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  }

  private async removeBatchIfEmpty(batch: string): Promise<void> {
    await rm(join(batch, 'fstab'), { force: true }).catch(() => undefined);
    await rmdir(batch).catch(() => undefined);
  }

  /** Waits for the background work; unmounts and removes the spare roots. */
  async close(): Promise<void> {
    await Promise.allSettled([...this.mounting.values()]);
    for (const list of this.ready.values()) for (const s of list) this.released.push(s);
    this.ready.clear();
    this.flush();
    while (this.cleanups.size > 0) await Promise.all([...this.cleanups]);
  }
}
