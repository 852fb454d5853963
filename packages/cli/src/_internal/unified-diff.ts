type Op = { readonly kind: ' ' | '-' | '+'; readonly line: string };

function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** The shortest edit script between two line arrays (Myers' O(ND) algorithm). */
function diffLines(a: readonly string[], b: readonly string[]): Op[] {
  const n = a.length;
  const m = b.length;
  const max = n + m;
  const offset = max + 1;
  const v = new Int32Array(2 * max + 3);
  const trace: Int32Array[] = [];
  let found = false;
  for (let d = 0; d <= max && !found; d += 1) {
    trace.push(v.slice());
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && v[offset + k - 1]! < v[offset + k + 1]!) ? v[offset + k + 1]! : v[offset + k - 1]! + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x += 1;
        y += 1;
      }
      v[offset + k] = x;
      if (x >= n && y >= m) {
        found = true;
        break;
      }
    }
  }
  const ops: Op[] = [];
  let x = n;
  let y = m;
  for (let d = trace.length - 1; d >= 0; d -= 1) {
    const vd = trace[d]!;
    const k = x - y;
    const prevK = k === -d || (k !== d && vd[offset + k - 1]! < vd[offset + k + 1]!) ? k + 1 : k - 1;
    const prevX = d === 0 ? 0 : vd[offset + prevK]!;
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) {
      ops.push({ kind: ' ', line: a[x - 1]! });
      x -= 1;
      y -= 1;
    }
    if (d > 0) {
      if (x === prevX) ops.push({ kind: '+', line: b[y - 1]! });
      else ops.push({ kind: '-', line: a[x - 1]! });
    }
    x = prevX;
    y = prevY;
  }
  return ops.reverse();
}

/**
 * A unified diff (`--- a/…`, `+++ b/…`, `@@ -l,s +l,s @@` hunks with three lines of context) from `before`
 * to `after`; an empty string when they are equal. `undefined` stands for a file that does not exist.
 */
export function unifiedDiff(pathBefore: string, pathAfter: string, before: string | undefined, after: string | undefined, context = 3): string {
  if (before === after) return '';
  const a = splitLines(before ?? '');
  const b = splitLines(after ?? '');
  const ops = diffLines(a, b);
  const out = [`--- ${before === undefined ? '/dev/null' : `a/${pathBefore}`}`, `+++ ${after === undefined ? '/dev/null' : `b/${pathAfter}`}`];
  const changedAt = ops.map((op, i) => (op.kind === ' ' ? -1 : i)).filter((i) => i >= 0);
  let i = 0;
  while (i < changedAt.length) {
    const start = Math.max(0, changedAt[i]! - context);
    let end = Math.min(ops.length, changedAt[i]! + context + 1);
    while (i + 1 < changedAt.length && changedAt[i + 1]! - context <= end) {
      i += 1;
      end = Math.min(ops.length, changedAt[i]! + context + 1);
    }
    i += 1;
    let aLine = 1;
    let bLine = 1;
    for (let j = 0; j < start; j += 1) {
      if (ops[j]!.kind !== '+') aLine += 1;
      if (ops[j]!.kind !== '-') bLine += 1;
    }
    const hunk = ops.slice(start, end);
    const aCount = hunk.filter((o) => o.kind !== '+').length;
    const bCount = hunk.filter((o) => o.kind !== '-').length;
    out.push(`@@ -${aCount === 0 ? aLine - 1 : aLine},${aCount} +${bCount === 0 ? bLine - 1 : bLine},${bCount} @@`);
    for (const o of hunk) out.push(`${o.kind}${o.line}`);
  }
  const endsWithoutNewline = (t: string | undefined): boolean => t !== undefined && t !== '' && !t.endsWith('\n');
  if (endsWithoutNewline(before) || endsWithoutNewline(after)) out.push('\\ (a file does not end with a newline)');
  return `${out.join('\n')}\n`;
}
