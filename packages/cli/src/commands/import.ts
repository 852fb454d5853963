import { readFileSync } from 'node:fs';
import { relative, resolve, sep } from 'node:path';
import type { Io } from '../io.js';
import type { Command } from '../_internal/command.js';
import { standardExitCodes } from '../_internal/command.js';
import { stringFlag } from '../_internal/command-spec.js';
import type { ParsedArgs } from '../_internal/command-spec.js';
import { findFiles, yamlFiles } from '../_internal/find-files.js';
import { UserError } from '../_internal/user-error.js';

async function run(args: ParsedArgs, io: Io): Promise<number> {
  const out = stringFlag(args, 'out');
  if (out === undefined) throw new UserError('missing --out DIR', 'pass the folder the TypeScript modules go to');
  const paths = findFiles(args.positionals, io.cwd, yamlFiles);
  if (paths.length === 0) throw new UserError(`found no ${yamlFiles.description} in ${args.positionals.map((p) => `"${p}"`).join(', ')}`, 'pass YAML files, directories or globs');
  const files = paths.map((p) => ({ path: relative(io.cwd, p).split(sep).join('/'), content: readFileSync(p, 'utf8') }));
  const { importFiles } = await import('../import/import-files.js');
  const { writeModules } = await import('../import/write-modules.js');
  const result = importFiles(files);
  const { written, refused } = writeModules(resolve(io.cwd, out), result.modules, args.flags['force'] === true);
  for (const p of result.problems) io.stderr.write(`✖ ${p.file}:${p.line}: ${p.message}\n  hint: ${p.hint}\n`);
  for (const name of refused) io.stderr.write(`✖ ${out}/${name} exists: not overwritten\n  hint: pass --force to replace it\n`);
  for (const m of result.modules) {
    if (!written.includes(m.fileName)) continue;
    io.stdout.write(`${m.resource} → ${out}/${m.fileName}: ${m.verdict}${m.verdict === 'lossy' ? ` (${m.lossyFields.join(', ')})` : ''}\n`);
    if (m.fallback !== undefined) io.stdout.write(`  builders not used: ${m.fallback}\n`);
    for (const e of m.escapeHatches) io.stdout.write(`  escape hatch: ${e.path} (${e.why})\n`);
  }
  io.stdout.write(`${written.length} module(s) written, ${result.problems.length + refused.length} problem(s)\n`);
  return result.problems.length + refused.length > 0 ? 1 : 0;
}

/** `argots import <files...> --out DIR` */
export const importCommand: Command = {
  spec: {
    name: 'import',
    summary: 'turn hand-written Argo YAML into TypeScript modules built with @argots/dsl',
    usage: 'argots import <files...> --out DIR [--force]',
    description: [
      'Reads Argo YAML (files, directories, globs; multi-document files too) and writes one TypeScript module',
      'per Workflow, WorkflowTemplate, ClusterWorkflowTemplate, CronWorkflow, Sensor or EventSource: templates',
      'become builders, {{…}} references typed values, depends handle results. What the builders cannot express',
      'is kept exactly through an escape hatch (.patch(), patchResource(), a node\'s fields), with a comment, and',
      'listed. Each module is compiled in process and compared with its original: the verdict (lossless, lossless',
      'with escape hatches, lossy) is measured. A bad document, or one failing lint, is reported with its file',
      'and line; the rest of the batch is still imported. Existing files are kept unless --force.',
    ].join('\n'),
    flags: {
      out: { type: 'string', valueName: 'DIR', description: 'the folder to write the modules to (created if missing)' },
      force: { type: 'boolean', description: 'replace modules that already exist in --out' },
    },
    minPositionals: 1,
    positionalsName: 'YAML file, directory or glob',
    examples: ['argots import argo/ --out pipelines/imported'],
    exitCodes: { ...standardExitCodes, '1': 'some documents could not be imported, fail lint (imported anyway), or some modules exist (printed); the others were written' },
  },
  run,
};
