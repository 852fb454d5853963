/**
 * Overlay roots for the steps, mounted in the zygote's mount namespace: each step gets a fresh one (the image's
 * cached root as the read-only lower layer, a new folder as the upper layer), so no step sees another's writes
 * and the cache is never written. One spare root per image is mounted ahead, while the current step runs, so
 * a step that follows another does not wait for `mount`; a used root is unmounted and removed in the
 * background, and {@link OverlaySlots.close} waits for all of that.
 */
import { chmod, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { ExecutorError } from '../executor.js';
import type { Zygote } from './zygote.js';

export interface Slot {
  readonly dir: string;
  readonly merged: string;
}

export class OverlaySlots {
  private readonly spare = new Map<string, Promise<Slot>>();
  private readonly cleanups = new Set<Promise<void>>();

  constructor(
    private readonly zygote: Zygote,
    private readonly tools: { readonly mount: string; readonly umount: string },
    private readonly base: string,
    private readonly env: Readonly<Record<string, string>>,
    private readonly hint: string,
  ) {}

  private async mountOne(lower: string): Promise<Slot> {
    const dir = await mkdtemp(join(this.base, 'argots-sandbox-'));
    const [upper, work, merged] = [join(dir, 'upper'), join(dir, 'work'), join(dir, 'merged')];
    for (const d of [upper, work, merged]) await mkdir(d);
    const r = await this.zygote.exec(this.tools.mount, ['-t', 'overlay', 'overlay', '-o', `lowerdir=${lower},upperdir=${upper},workdir=${work}`, merged], this.env);
    if (r.code !== 0) {
      await this.remove(dir);
      throw new ExecutorError('EXE107', `the sandbox could not mount its overlay root (${r.stderr.trim()})`, this.hint);
    }
    return { dir, merged };
  }

  /** A freshly mounted root over `lower`; another is mounted ahead for the next step on the same image. */
  async acquire(lower: string): Promise<Slot> {
    const ahead = this.spare.get(lower);
    this.spare.delete(lower);
    let slot: Slot;
    try {
      slot = await (ahead ?? this.mountOne(lower));
    } catch (error) {
      if (!ahead) throw error;
      slot = await this.mountOne(lower);
    }
    const next = this.mountOne(lower);
    next.catch(() => this.spare.delete(lower));
    this.spare.set(lower, next);
    return slot;
  }

  /** Unmounts and removes a used root, in the background. */
  release(slot: Slot): void {
    const p = (async () => {
      await this.zygote.exec(this.tools.umount, [slot.merged], this.env);
      await this.remove(slot.dir);
    })();
    this.cleanups.add(p);
    void p.finally(() => this.cleanups.delete(p));
  }

  private async remove(dir: string): Promise<void> {
    // overlayfs leaves its work folder without permissions; give them back so the folder can go.
    await chmod(join(dir, 'work', 'work'), 0o700).catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  }

  /** Waits for the background work; unmounts and removes the spare roots. */
  async close(): Promise<void> {
    const spares = [...this.spare.values()];
    this.spare.clear();
    for (const s of await Promise.allSettled(spares)) if (s.status === 'fulfilled') this.release(s.value);
    while (this.cleanups.size > 0) await Promise.all([...this.cleanups]);
  }
}
