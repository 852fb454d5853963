/** `argots lint`: Argo YAML files checked with the same rules as compiled pipelines. */
export {
  lintYaml,
  EVENT_KINDS,
  type EventResourceValidator,
  type LintFile,
  type LintOptions,
  type LintResult,
  type SkippedDocument,
} from './lint-yaml.js';
