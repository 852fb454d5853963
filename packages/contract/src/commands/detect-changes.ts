import { defineCommand } from '../define-command.js';

/**
 * A commit SHA or a revision: a name, `~n` / `^n` suffixes, `@{…}`; never a leading `-` (an option), spaces,
 * control characters or `:` paths. The runtime also refuses `..` ranges and resolves it with git.
 */
const REVISION_PATTERN = '[A-Za-z0-9_@][A-Za-z0-9_./@{}~^+-]{0,254}';

/** Classifies the files of a commit range as code or configuration, per service. */
export const detectChanges = defineCommand({
  name: 'detect-changes',
  summary: 'Classify the files changed in a commit range as code, configuration or nothing, per service.',
  inputs: {
    repo: { kind: 'string', description: 'Path of the application repository checkout.', required: true, example: '/workspace/src' },
    before: {
      kind: 'string',
      description: 'Commit before the push (all zeros for a new branch), or any revision git resolves to one commit (HEAD~1, main, v1.4.0): resolved first, never given to a shell.',
      required: true,
      pattern: REVISION_PATTERN,
      untrusted: true,
      example: '0000000000000000000000000000000000000000',
    },
    after: { kind: 'string', description: 'Commit after the push, or a revision (HEAD, main).', required: true, pattern: REVISION_PATTERN, untrusted: true, example: '4f7c2e1d9b8a7f6e5d4c3b2a1f0e9d8c7b6a5f4e' },
    defaultBranch: { kind: 'string', description: 'Branch to diff a new branch against (its merge base).', example: 'dev' },
    rules: { kind: 'string', description: 'Path, inside the repository, of the change rules file.', example: '.argots/changes.yaml' },
    requireServices: { kind: 'boolean', description: 'Fail (RUN803) when the rules declare no services: for pipelines that fan out over codeServices/configServices, which would otherwise build nothing.' },
  },
  outputs: {
    kind: { description: 'What changed overall.', enum: ['code', 'config', 'none'] },
    codeFiles: { description: 'Files classified as code.', format: 'json' },
    configFiles: { description: 'Files classified as configuration (added, modified or renamed).', format: 'json' },
    deletedConfigFiles: { description: 'Configuration files deleted in the range.', format: 'json' },
    services: {
      description: 'Every service of the rules (changed or not): its name, kind (`none` when unchanged) and files. A `withParam` loop over it has typed items: `when: (s) => s.get(\'kind\').ne(\'none\')`.',
      format: 'json',
      shape: { list: { fields: { name: 'string', kind: ['code', 'config', 'none'], codeFiles: { list: 'string' }, configFiles: { list: 'string' }, deletedConfigFiles: { list: 'string' } } } },
    },
    codeServices: { description: 'Names of the services (from the rules) with code changes: the ones to build, as a JSON list of strings (a `withParam` loop).', format: 'json', shape: { list: 'string' } },
    configServices: { description: 'Names of the services with configuration added, changed or deleted (whatever else changed), as a JSON list of strings.', format: 'json', shape: { list: 'string' } },
    reason: { description: 'Why the range was classified as it was (for example a fail-closed force push).' },
  },
});
