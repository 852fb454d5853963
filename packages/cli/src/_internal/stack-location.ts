import { fileURLToPath } from 'node:url';
import type { SourceLocation } from '@argots/dsl';

const frame = /\(?((?:file:\/\/)?\/[^()]*?):(\d+):(\d+)\)?\s*$/;

/**
 * The first frame of a (source-mapped) stack trace that lies in one of `files`: where a pipeline module
 * threw. Undefined when no frame does (a thrown string, or an error raised entirely inside a dependency).
 */
export function stackLocation(stack: string | undefined, files: ReadonlySet<string>): SourceLocation | undefined {
  if (!stack) return undefined;
  for (const line of stack.split('\n')) {
    if (!/^\s+at /.test(line)) continue;
    const m = frame.exec(line);
    if (!m) continue;
    const file = m[1]!.startsWith('file://') ? fileURLToPath(m[1]!) : m[1]!;
    if (files.has(file)) return { file, line: Number(m[2]), column: Number(m[3]) };
  }
  return undefined;
}
