import { lintYaml } from '@argots/dsl';
import { formatModules, generateModule, newProject } from './generate-module.js';
import type { GeneratedModule } from './generate-module.js';
import { readDocuments } from './read-documents.js';
import type { ImportProblem } from './read-documents.js';

export type { Verdict } from './generate-module.js';

export interface ImportResult {
  readonly modules: readonly GeneratedModule[];
  readonly problems: readonly ImportProblem[];
}

/** Imports a batch of YAML files; a problem in one document never stops the others. */
export function importFiles(files: readonly { path: string; content: string }[]): ImportResult {
  const project = newProject();
  const modules: GeneratedModule[] = [];
  const problems: ImportProblem[] = [];
  const seen = new Set<string>();
  for (const f of files) {
    const read = readDocuments(f.path, f.content);
    problems.push(...read.problems);
    for (const doc of read.documents) {
      const m = generateModule(doc);
      // Two documents with one name (Workflows sharing a generateName, say) get modules `x.ts`, `x-2.ts`, …
      let fileName = m.fileName;
      for (let n = 2; seen.has(fileName); n++) fileName = `${m.fileName.slice(0, -3)}-${n}.ts`;
      seen.add(fileName);
      modules.push(fileName === m.fileName ? m : { ...m, fileName });
    }
  }
  // The input is linted as a batch (templateRefs resolve across files). A document that fails is still
  // imported — nothing is dropped — but reported, as `argots compile` will refuse the module until it is fixed.
  for (const d of lintYaml(files.map((f) => ({ path: f.path, content: f.content }))).diagnostics) {
    if (d.severity !== 'error' || d.code === 'ARG005') continue;
    problems.push({ file: d.source?.file ?? '', line: d.source?.line ?? 0, message: `fails lint: ${d.code} ${d.message}`, hint: `${d.hint ?? 'fix the document'} (the module was written; fix it there or in the YAML)` });
  }
  problems.sort((a, b) => (a.file === b.file ? a.line - b.line : a.file < b.file ? -1 : 1));
  return { modules: formatModules(modules, project), problems };
}
