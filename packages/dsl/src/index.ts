// The public API of @argots/dsl. An explicit list: add new exports here by name (no `export *`).

// Diagnostics
export { DiagnosticError, formatDiagnostic, sortDiagnostics } from './diagnostic.js';
export type { Diagnostic, FormatOptions, Severity, SourceLocation } from './diagnostic.js';

// Values, conditions, parameters, outputs
export { Condition, Depends, Value, and, not, or, text } from './value.js';
export type { Conditional, Literal, ScopeBrand, Text } from './value.js';
export { param } from './param.js';
export type { Json, ParamSpec, ParamSpecs, ParamType } from './param.js';
export { artifact, output } from './output.js';
export type { ArtifactSpec, OutputSource, OutputSpec, OutputSpecs, OutputType } from './output.js';

// Templates
export { ArtifactRef, Call, Template } from './template.js';
export type { ArgOf, ArgValue, Args, Callable, InputSpecs, InputValues, LiteralOf, TemplateBase, TemplateFields, TemplateScope } from './template.js';
export { env } from './container-spec.js';
export type { ContainerSpec, EnvSource, EnvSpec } from './container-spec.js';
export { container } from './container.js';
export type { ContainerTemplateSpec } from './container.js';
export { script } from './script.js';
export type { ScriptSpec, ScriptTemplateSpec } from './script.js';
export { resource } from './resource.js';
export type { ResourceAction, ResourceSpec, ResourceTemplateSpec } from './resource.js';
export { suspend } from './suspend.js';
export type { SuspendTemplateSpec } from './suspend.js';
export { http } from './http.js';
export type { HttpSpec, HttpTemplateSpec } from './http.js';
export { containerSet } from './container-set.js';
export type { ContainerSetSpec, ContainerSetTemplateSpec, SetContainer } from './container-set.js';
export { templateRef } from './template-ref.js';
export type { TemplateRefSpec } from './template-ref.js';
export { DagScope, dag } from './dag.js';
export type { DagSpec } from './dag.js';
export { StepGroup, StepsScope, stepsTemplate } from './steps-template.js';
export { Item } from './node.js';
export type { Hook, Loop, NodeOptions, NodeTarget, TaskOptions } from './node.js';
export { TaskHandle } from './task-handle.js';
export type { OutputValues } from './task-handle.js';

// Workflows and pipelines
export { WorkflowResource, clusterWorkflowTemplate, cronWorkflow, workflow, workflowTemplate } from './workflow-resource.js';
export type { CronOptions, WorkflowHook, WorkflowOptions, WorkflowSpecFields } from './workflow-resource.js';
export { PipelineScope, pipeline } from './pipeline.js';
export type { PipelineOptions } from './pipeline.js';

// Runtime steps (from @argots/contract)
export { DEFAULT_RUNTIME_IMAGE, RUNTIME_SECURITY_CONTEXT, runtimeStep, runtimeSteps, steps } from './runtime-step.js';
export type { CommandOutputs, CommandParams, RuntimeStepOptions, RuntimeSteps } from './runtime-step.js';

// Synthesis and YAML
export { SYNTH, isSynthesizable } from './synthesizable.js';
export type { Synthesizable, SynthesizedResource } from './synthesizable.js';
export { kindToKebab, synth } from './synth.js';
export type { EmittedFile, SynthInput, SynthOptions, SynthResult } from './synth.js';
export { generatedHeader, toYaml } from './emit/yaml.js';
export type { SourceRef } from './_internal/source.js';
