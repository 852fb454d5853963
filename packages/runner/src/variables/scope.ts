/**
 * The variables a node sees, flat as Argo keeps them (`inputs.parameters.x`, `tasks.a.outputs.result`, …).
 * Scopes chain: a child scope reads its parent's variables unless it sets its own.
 */
export class Scope {
  private readonly own = new Map<string, string>();

  constructor(private readonly parent?: Scope) {}

  set(key: string, value: string): this {
    this.own.set(key, value);
    return this;
  }

  get(key: string): string | undefined {
    return this.own.get(key) ?? this.parent?.get(key);
  }

  has(key: string): boolean {
    return this.own.has(key) || (this.parent?.has(key) ?? false);
  }

  child(): Scope {
    return new Scope(this);
  }

  /** Every variable, own ones winning over the parent's. */
  flat(): Record<string, string> {
    const out = this.parent ? this.parent.flat() : {};
    for (const [k, v] of this.own) out[k] = v;
    return out;
  }
}
