// The public API of @argots/dsl. An explicit list: add new exports here by name (no `export *`).

// Diagnostics
export { DiagnosticError, formatDiagnostic, sortDiagnostics } from './diagnostic.js';
export type { Diagnostic, FormatOptions, Severity, SourceLocation } from './diagnostic.js';

// Values, conditions, parameters, outputs
export { Condition, Depends, Value, and, not, or, text } from './authoring/value.js';
export type { Conditional, Literal, ScopeBrand, Text } from './authoring/value.js';
export { param } from './authoring/param.js';
export { vars } from './authoring/vars.js';
export type { Json, ParamSpec, ParamSpecs, ParamType } from './authoring/param.js';
export { artifact, output } from './authoring/output.js';
export type { ArtifactSpec, OutputSource, OutputSpec, OutputSpecs, OutputType } from './authoring/output.js';

// Templates
export { ArtifactRef, Call, Template } from './authoring/template.js';
export type { ArgOf, ArgValue, Args, Callable, InputSpecs, InputValues, LiteralOf, TemplateBase, TemplateFields, TemplateScope } from './authoring/template.js';
export { env } from './authoring/container-spec.js';
export type { ContainerSpec, EnvSource, EnvSpec } from './authoring/container-spec.js';
export { container } from './authoring/container.js';
export type { ContainerTemplateSpec } from './authoring/container.js';
export { script } from './authoring/script.js';
export type { ScriptSpec, ScriptTemplateSpec } from './authoring/script.js';
export { resource } from './authoring/resource.js';
export type { ResourceAction, ResourceSpec, ResourceTemplateSpec } from './authoring/resource.js';
export { suspend } from './authoring/suspend.js';
export type { SuspendTemplateSpec } from './authoring/suspend.js';
export { http } from './authoring/http.js';
export type { HttpSpec, HttpTemplateSpec } from './authoring/http.js';
export { containerSet } from './authoring/container-set.js';
export type { ContainerSetSpec, ContainerSetTemplateSpec, SetContainer } from './authoring/container-set.js';
export { templateRef } from './authoring/template-ref.js';
export type { TemplateRefSpec } from './authoring/template-ref.js';
export { DagScope, dag } from './authoring/dag.js';
export type { DagSpec } from './authoring/dag.js';
export { StepGroup, StepsScope, stepsTemplate } from './authoring/steps-template.js';
export { Item } from './authoring/node.js';
export type { Hook, ItemCondition, ItemType, Loop, LoopOptions, LooseItem, NodeOptions, NodeTarget, TaskOptions } from './authoring/node.js';
export { TaskHandle } from './authoring/task-handle.js';
export type { OutputValues } from './authoring/task-handle.js';

// Workflows and pipelines
export { WorkflowResource, clusterWorkflowTemplate, cronWorkflow, workflow, workflowTemplate } from './authoring/workflow-resource.js';
export type { AnyTemplate, CronOptions, DeepPartial, ResourcePatch, WorkflowHook, WorkflowOptions, WorkflowSpecFields } from './authoring/workflow-resource.js';
export { PipelineScope, pipeline } from './authoring/pipeline.js';
export type { PipelineOptions } from './authoring/pipeline.js';

// Runtime steps (from @argots/contract)
export { DEFAULT_RUNTIME_IMAGE, RUNTIME_SECURITY_CONTEXT, runtimeContainer, runtimeStep, runtimeSteps, steps } from './authoring/runtime-step.js';
export type { CommandOutputs, CommandParams, RuntimeContainer, RuntimeContainerInputs, RuntimeStepOptions, RuntimeSteps } from './authoring/runtime-step.js';
export { commands as runtimeCommands } from '@argots/contract';

// Synthesis and YAML
export { SYNTH, isSynthesizable } from './synthesizable.js';
export type { Synthesizable, SynthesizedResource } from './synthesizable.js';
export { kindToKebab, synth } from './synth.js';
export type { EmittedFile, SynthInput, SynthOptions, SynthResult } from './synth.js';
export { generatedHeader, toYaml } from './emit/yaml.js';
export { captureSourceLocations } from './_internal/source.js';
export type { SourceRef } from './_internal/source.js';

// Argo Events: GitHub triggers, Sensors, EventSources, validation (ARG300–ARG399)
export { DEFAULT_PULL_REQUEST_ACTIONS, github, repoSlug } from './events/github-trigger.js';
export type { GithubPatternOptions, GithubPullRequestOptions, GithubPullRequestMergedOptions, GithubPushOptions, GithubTagOptions, GithubTrigger, GithubTriggerCommon, PullRequestAction } from './events/github-trigger.js';
export { dataKeyOf, isPayloadRef } from './events/payload-handle.js';
export type { PayloadHandle, PayloadPath, PayloadRef } from './events/payload-handle.js';
export type { ExplicitParameterSource, ParameterSource } from './events/parameter-source.js';
export { httpTrigger, k8sTrigger, logTrigger, submitWorkflow } from './events/trigger.js';
export type { HttpTriggerOptions, K8sTriggerOptions, SubmitWorkflowOptions, TriggerOptions } from './events/trigger.js';
export { sensor } from './events/sensor.js';
export type { SensorOptions } from './events/sensor.js';
export { eventSource } from './events/event-source.js';
export { patchResource } from './events/patch-resource.js';
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
export { prepareSimulation, simulate, simulateSequence } from './simulate/simulate.js';
export { GITHUB_WEBHOOK_EVENTS } from './events/validate/_internal/github-events.js';
export type { HeldEvents, SimulateOptions } from './simulate/simulate.js';
export { formatSimulation } from './simulate/format-simulation.js';
export { readYamlDocuments } from './simulate/read-yaml-documents.js';
export type { YamlDocuments } from './simulate/read-yaml-documents.js';
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
export { readYamlAsGo } from './lint/read-yaml-as-go.js';
export type { GoYamlDocument, GoYamlFile } from './lint/read-yaml-as-go.js';
export type { EventResourceValidator, LintFile, LintOptions, LintResult, SkippedDocument } from './lint/index.js';
