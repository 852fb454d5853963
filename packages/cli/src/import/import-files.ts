import { generateModule, newProject } from './generate-module.js';
import type { GeneratedModule } from './generate-module.js';
import { readDocuments } from './read-documents.js';
import type { ImportProblem } from './read-documents.js';

/** A file's verdict: lossless, lossless with escape hatches (listed in the module), or a problem. */
export type Verdict = 'lossless' | 'lossless with escape hatches';

export interface ImportResult {
  readonly modules: readonly (GeneratedModule & { readonly verdict: Verdict })[];
  readonly problems: readonly ImportProblem[];
}

/** Imports a batch of YAML files; a problem in one document never stops the others. */
export function importFiles(files: readonly { path: string; content: string }[]): ImportResult {
  const project = newProject();
  const modules: (GeneratedModule & { verdict: Verdict })[] = [];
  const problems: ImportProblem[] = [];
  const seen = new Map<string, string>();
  for (const f of files) {
    const read = readDocuments(f.path, f.content);
    problems.push(...read.problems);
    for (const doc of read.documents) {
      const m = generateModule(doc, project);
      const other = seen.get(m.fileName);
      if (other !== undefined) {
        problems.push({ file: doc.file, line: doc.line, message: `${m.resource} has the same module name as the resource at ${other}`, hint: 'import the two in separate runs with different --out folders, or rename one' });
        continue;
      }
      seen.set(m.fileName, `${doc.file}:${doc.line}`);
      modules.push({ ...m, verdict: m.escapeHatches.length === 0 ? 'lossless' : 'lossless with escape hatches' });
    }
  }
  return { modules, problems };
}
