import { readFileSync } from 'node:fs';
import { relative, resolve, sep } from 'node:path';
import type { Io } from '../io.js';
import type { Command } from '../_internal/command.js';
import { standardExitCodes } from '../_internal/command.js';
import { stringFlag } from '../_internal/command-spec.js';
import type { ParsedArgs } from '../_internal/command-spec.js';
import { findFiles, globToRegExp, yamlFiles } from '../_internal/find-files.js';
import { readStdin } from '../_internal/read-stdin.js';
import { hasErrors, plural, printDiagnostics, printJson } from '../_internal/report.js';
import { UserError } from '../_internal/user-error.js';

/** `--exclude a,b`: globs relative to the working directory (a directory excludes what is under it). */
function excluded(io: Io, value: string | undefined): (file: string) => boolean {
  if (value === undefined) return () => false;
  const patterns = value.split(',').map((p) => p.trim().replace(/\/+$/, '')).filter((p) => p !== '');
  const res = patterns.flatMap((p) => {
    const full = resolve(io.cwd, p).split(sep).join('/');
    return [globToRegExp(full), globToRegExp(`${full}/**`)];
  });
  return (file) => res.some((re) => re.test(file.split(sep).join('/')));
}

async function run(args: ParsedArgs, io: Io): Promise<number> {
  const fromStdin = args.positionals.includes('-');
  const named = args.positionals.filter((p) => p !== '-');
  const skip = excluded(io, stringFlag(args, 'exclude'));
  const paths = named.length > 0 ? findFiles(named, io.cwd, yamlFiles).filter((p) => !skip(p)) : [];
  if (paths.length === 0 && !fromStdin) {
    throw new UserError(`found no ${yamlFiles.description} in ${args.positionals.map((p) => `"${p}"`).join(', ')}${args.flags['exclude'] ? ' (after --exclude)' : ''}`, 'pass YAML files, directories or globs');
  }
  const files = paths.map((p) => ({ path: relative(io.cwd, p).split(sep).join('/'), content: readFileSync(p, 'utf8') }));
  if (fromStdin) files.push({ path: '<stdin>', content: await readStdin(io, 'argots lint -') });
  const external = stringFlag(args, 'external-templates') === 'warn' ? 'warn' : 'error';
  const { lintYaml } = await import('@argots/dsl');
  const result = lintYaml(files, { externalTemplates: external });
  const code = hasErrors(result.diagnostics) ? 1 : 0;
  if (args.json) {
    await printJson(io, 'lint', code, result.diagnostics, { files: files.map((f) => f.path), skipped: result.skipped });
    return code;
  }
  await printDiagnostics(io, result.diagnostics);
  for (const s of result.skipped) io.stdout.write(`passed over ${s.file} document ${s.document}: kind "${s.kind}" is not an Argo resource argots checks\n`);
  const summary = `${plural(files.length, 'file')} checked${result.skipped.length > 0 ? `, ${plural(result.skipped.length, 'document')} passed over` : ''}`;
  io.stdout.write(code === 0 ? `✔ ${summary}: no errors\n` : `${summary}\n`);
  return code;
}

/** `argots lint <files...>` */
export const lintCommand: Command = {
  spec: {
    name: 'lint',
    summary: "check hand-written Argo YAML with the compiler's schema and semantic rules",
    usage: 'argots lint <files...|-> [--exclude GLOBS] [--external-templates error|warn] [--json]',
    description: [
      'Reads Argo YAML files (files, directories and globs; multi-document files too) and applies the same',
      'schema and semantic rules as `argots compile`. Documents that are not Argo resources are passed over and',
      'listed. templateRefs are resolved across all the files given; --external-templates warn turns a reference',
      "to a template outside them into a warning instead of an error. '-' reads one more file from stdin;",
      '--exclude leaves out paths and globs (Helm chart templates are not YAML until rendered).',
    ].join('\n'),
    flags: {
      exclude: { type: 'string', valueName: 'GLOBS', description: 'comma-separated paths or globs to leave out (Helm templates: charts/*/templates)' },
      'external-templates': {
        type: 'string',
        valueName: 'MODE',
        choices: ['error', 'warn'],
        default: 'error',
        description: 'how to report templateRefs to WorkflowTemplates not among the files given',
      },
    },
    minPositionals: 1,
    positionalsName: 'YAML file, directory or glob',
    examples: ['argots lint manifests', "argots lint 'workflows/**/*.yaml' --external-templates warn", "argots lint deploy --exclude 'deploy/charts/*/templates'", 'kustomize build overlays/dev | argots lint -'],
    exitCodes: { ...standardExitCodes, '1': 'the YAML has errors (printed), or the command line was wrong' },
  },
  run,
};
