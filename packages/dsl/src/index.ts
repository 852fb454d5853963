// The public API of @argots/dsl. An explicit list: add new exports here by name (no `export *`).

// Diagnostics
export { DiagnosticError, formatDiagnostic, sortDiagnostics } from './diagnostic.js';
export type { Diagnostic, FormatOptions, Severity, SourceLocation } from './diagnostic.js';

// Values, conditions, parameters, outputs
export { Condition, Depends, Value, and, not, or, text } from './value.js';
export type { Conditional, Literal, ScopeBrand, Text } from './value.js';
export { param } from './param.js';
export { vars } from './vars.js';
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
export type { Hook, ItemType, Loop, LooseItem, NodeOptions, NodeTarget, TaskOptions } from './node.js';
export { TaskHandle } from './task-handle.js';
export type { OutputValues } from './task-handle.js';

// Workflows and pipelines
export { WorkflowResource, clusterWorkflowTemplate, cronWorkflow, workflow, workflowTemplate } from './workflow-resource.js';
export type { AnyTemplate, CronOptions, DeepPartial, ResourcePatch, WorkflowHook, WorkflowOptions, WorkflowSpecFields } from './workflow-resource.js';
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
export { captureSourceLocations } from './_internal/source.js';
export type { SourceRef } from './_internal/source.js';

// Argo Events: GitHub triggers, Sensors, EventSources, validation (ARG300–ARG399)
export { github, repoSlug } from './events/github-trigger.js';
export type { GithubPatternOptions, GithubPullRequestMergedOptions, GithubPushOptions, GithubTagOptions, GithubTrigger, GithubTriggerCommon } from './events/github-trigger.js';
export { dataKeyOf, isPayloadRef } from './events/payload-handle.js';
export type { PayloadHandle, PayloadPath, PayloadRef } from './events/payload-handle.js';
export type { ExplicitParameterSource, ParameterSource } from './events/parameter-source.js';
export { httpTrigger, k8sTrigger, logTrigger, submitWorkflow } from './events/trigger.js';
export type { HttpTriggerOptions, K8sTriggerOptions, SubmitWorkflowOptions, TriggerOptions } from './events/trigger.js';
export { sensor } from './events/sensor.js';
export type { SensorOptions } from './events/sensor.js';
export { eventSource } from './events/event-source.js';
export type { CalendarOptions, EventSourceOptions, GithubWebhookOptions, SecretRef, WebhookOptions } from './events/event-source.js';
export { triggerResources } from './events/trigger-resources.js';
export type { GithubConnection, TriggerBinding, TriggerResources, TriggerResourcesOptions } from './events/trigger-resources.js';
export type { PipelineTriggerOptions, TriggerValues } from './events/pipeline-trigger.js';
export { validateEventResources } from './events/validate/validate-event-resources.js';
export type { ValidateEventOptions } from './events/validate/validate-event-resources.js';
export { EVENT_CODES } from './events/codes.js';
export type { EventCode } from './events/codes.js';
export type { EventSource, EventSourceSpec, GithubEventSource } from './events/types/event-source.js';
export type { DataFilter, EventDependency, EventDependencyFilter, ExprFilter, Sensor, SensorSpec, Trigger, TriggerParameter, TriggerTemplate } from './events/types/sensor.js';

// Simulate: Sensors against GitHub webhook deliveries, offline
export { simulate } from './simulate/simulate.js';
export type { SimulateOptions } from './simulate/simulate.js';
export { formatSimulation } from './simulate/format-simulation.js';
export type { FormatSimulationOptions } from './simulate/format-simulation.js';
export { buildArgoEvent, canonicalHeaderName } from './simulate/argo-event.js';
export type { ArgoEvent, ArgoEventContext, EventOrigin, WebhookDelivery } from './simulate/argo-event.js';
export type { FilterFailure, FilterKind } from './simulate/filter-event.js';
export type { AppliedParameter, ParameterOrigin } from './simulate/resolve-parameter.js';
export type { DependencySimulation, DependencyStatus, SensorSimulation, SimulationResult, TriggerSimulation, TriggerStatus } from './simulate/simulation-result.js';

// Validation of Argo Workflows objects (ARG001–ARG199) and lint of hand-written YAML
export { validateResources, VALIDATION_CODES } from './validate/index.js';
export type { ValidateOptions, ValidationCode } from './validate/index.js';
export { lintYaml, EVENT_KINDS } from './lint/index.js';
export type { EventResourceValidator, LintFile, LintOptions, LintResult, SkippedDocument } from './lint/index.js';
