export {
  defineCommand,
  flagName,
  inputKey,
  outputPath,
  DEFAULT_OUTPUT_DIR,
  RUNTIME_BINARY,
} from './define-command.js';
export type { CommandDefinition, InputKind, InputSpec, InputsOf, OutputSpec, OutputsOf } from './define-command.js';
export { encodeInput, parseArgv, toArgv } from './argv.js';
export type { ArgvProblem, ArgvValue, ParseResult } from './argv.js';
export { inputsJsonSchema } from './json-schema.js';
export type { InputsJsonSchema } from './json-schema.js';
export {
  backMerge,
  checkout,
  cleanupStaging,
  commands,
  copyConfig,
  currentImage,
  detectBuild,
  detectChanges,
  detectDeploy,
  hotfix,
  listServices,
  openPromotionPullRequest,
  promote,
  registryLogin,
  resolveFlow,
  updateManifests,
  waitForDeploy,
} from './commands.js';
export type { CommandName } from './commands.js';
export { allowsMutableTags, defineEnvironments, STANDARD_ENVIRONMENTS, validateEnvironments } from './environments.js';
export type {
  EnvironmentConfig,
  EnvironmentProblem,
  EnvironmentsConfig,
  EnvironmentsResult,
  RegistryAuth,
  StandardEnvironment,
} from './environments.js';
export {
  branchPatternSource,
  branchPolicy,
  decideFlow,
  DEFAULT_BRANCH_POLICY,
  flowTriggers,
  FLOWS,
  matchesBranch,
  parseBranchPolicy,
} from './branch-policy.js';
export type {
  BranchPolicy,
  BranchPolicyInput,
  BranchPolicyProblem,
  Flow,
  FlowDecision,
  FlowTrigger,
  GitHubEvent,
  TriggerCondition,
} from './branch-policy.js';
