// `@argots/cli/import`: the importer as a library (what `argots import` runs), kept apart from the main entry so
// that loading the CLI does not load ts-morph and esbuild.
export { importFiles } from './import-files.js';
export type { ImportResult } from './import-files.js';
export type { EscapeHatch, GeneratedModule, Verdict } from './generate-module.js';
export type { ImportProblem } from './read-documents.js';
export { differingPaths, normaliseDocument } from './normalise.js';
