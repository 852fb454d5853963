#!/usr/bin/env python3
"""Writes the Argo-behaviour lint corpus: one small YAML file per case, each headed by the upstream source of
the expected verdict (a function of workflow/validate/validate.go, Argo Workflows v3.5-v4.x, unless said).
Run it from anywhere; it rewrites the NNN-*.yaml files of this folder. Expectations are Argo's, not ours."""
import copy, os, re, yaml

HERE = os.path.dirname(os.path.abspath(__file__))
cases = []

def leaf(name='echo', **extra):
    t = {'name': name, 'container': {'image': 'alpine:3.20', 'command': ['echo', 'hi']}}
    t.update(extra)
    return t

def wft(templates, spec_extra=None, meta=None, kind='WorkflowTemplate', entry='main'):
    spec = {}
    if entry is not None:
        spec['entrypoint'] = entry
    spec.update(spec_extra or {})
    spec['templates'] = templates
    return {'apiVersion': 'argoproj.io/v1alpha1', 'kind': kind, 'metadata': meta or {'name': 'corpus'}, 'spec': spec}

def dag(tasks, name='main', **extra):
    t = {'name': name, 'dag': {'tasks': tasks}}
    t.update(extra)
    return t

def steps(groups, name='main', **extra):
    t = {'name': name, 'steps': groups}
    t.update(extra)
    return t

def case(slug, upstream, docs, expect, raw=None, warn=None):
    """expect: [] when Argo accepts; else the argots error codes for Argo's rejection."""
    cases.append((slug, upstream, docs, expect, raw, warn or []))

V = 'validate.go'
# ---- names (isValidWorkflowFieldName, isValidParamOrArtifactName, metadata) ----
for n, ok in [('a', True), ('A-1', True), ('1a', True), ('-a', False), ('a_b', False), ('a.b', False), ('x' * 128, True), ('x' * 129, False)]:
    case(f'template-name-{"ok" if ok else "bad"}-{re.sub("[^a-z0-9]", "", n.lower())[:10] or "dash"}', f'{V} validateWorkflowFieldNames / isValidWorkflowFieldName ([a-zA-Z0-9][-a-zA-Z0-9]*, at most 128)',
         wft([dag([{'name': 'a', 'template': n}]), leaf(n)]), [] if ok else ['ARG012'])
for n, ok in [('step-1', True), ('Step', True), ('-s', False), ('s s', False)]:
    case(f'step-name-{"ok" if ok else "bad"}-{re.sub("[^a-z0-9]", "", n.lower())}', f'{V} validateSteps -> validateWorkflowFieldNames(step names)',
         wft([steps([[{'name': n, 'template': 'echo'}]]), leaf()]), [] if ok else ['ARG014'])
for n, ok in [('my_param_1', True), ('MY-PARAM-1', True), ('a.b', False), ('a b', False), ('ä', False)]:
    case(f'param-name-{"ok" if ok else "bad"}-{re.sub("[^a-z0-9]", "", n.lower()) or "u"}', f'{V} validateInputs / isValidParamOrArtifactName (^[-a-zA-Z0-9_]+$)',
         wft([leaf('main', inputs={'parameters': [{'name': n, 'value': 'x'}]})]), [] if ok else ['ARG016'])
case('duplicate-template', f'{V} validateWorkflowFieldNames: "templates.echo is not unique" (dupTemplateNames in validate_test.go)', wft([dag([{'name': 'a', 'template': 'echo'}]), leaf(), leaf()]), ['ARG013'])
case('duplicate-input', f'{V} validateInputs: "inputs.parameters.x is not unique" (dupInputNames)', wft([leaf('main', inputs={'parameters': [{'name': 'x', 'value': '1'}, {'name': 'x', 'value': '2'}]})]), ['ARG017'])
case('duplicate-step', f'{V} validateSteps: step names unique across groups', wft([steps([[{'name': 'a', 'template': 'echo'}], [{'name': 'a', 'template': 'echo'}]]), leaf()]), ['ARG015'])
case('duplicate-task', f'{V} validateDAG -> validateWorkflowFieldNames(tasks)', wft([dag([{'name': 'a', 'template': 'echo'}, {'name': 'a', 'template': 'echo'}]), leaf()]), ['ARG015'])
case('name-63', 'Kubernetes object name (API server): 63 characters accepted', wft([leaf('main')], meta={'name': 'n' * 63}), [])
case('name-64', 'Kubernetes object name (API server): at most 63', wft([leaf('main')], meta={'name': 'n' * 64}), ['ARG010'])
case('generate-name-only-template', 'ValidateWorkflowTemplate reads no name; the API server accepts generateName for any kind', wft([leaf('main')], meta={'generateName': 'corpus-'}), [])
case('no-name', 'API server: "name or generateName is required"', wft([leaf('main')], meta={'labels': {'a': 'b'}}), ['ARG011'])
# ---- entrypoint / spec ----
case('entrypoint-unknown', f'{V} ValidateWorkflow -> validateTemplateHolder: "template main not found"', wft([leaf('echo')]), ['ARG020'])
case('template-without-entrypoint', f'{V} ValidateWorkflowTemplate: IgnoreEntrypoint when spec.entrypoint is empty', wft([leaf('echo')], entry=None), [])
case('workflow-without-entrypoint', f'{V} ValidateWorkflow: "spec.entrypoint is required"', wft([leaf('echo')], kind='Workflow', entry=None, meta={'generateName': 'w-'}), ['ARG020'])
case('workflowtemplateref-with-templates', f'{V} ValidateWorkflowTemplateRefFields: "Templates is invalid field in spec if workflow referred WorkflowTemplate reference"',
     wft([leaf('main')], spec_extra={'workflowTemplateRef': {'name': 'corpus'}}, kind='Workflow', meta={'generateName': 'w-'}), ['ARG021', 'ARG063'])
for s, ok in [('OnPodCompletion', True), ('OnPodSuccess', True), ('OnWorkflowCompletion', True), ('OnWorkflowSuccess', True), ('', True), ('OnPodFinished', False)]:
    case(f'podgc-{s.lower() or "empty"}', f'{V} ValidateWorkflow: "podGC.strategy unknown strategy \'%s\'"', wft([leaf('main')], spec_extra={'podGC': {'strategy': s}}), [] if ok else ['ARG003'])
case('onexit-unknown', f'{V} ValidateWorkflow: onExit validated with validateTemplateHolder ("template x not found")', wft([leaf('main')], spec_extra={'onExit': 'nope'}), ['ARG026'])
case('onexit-known', f'{V} ValidateWorkflow: onExit resolves', wft([leaf('main'), leaf('bye')], spec_extra={'onExit': 'bye'}), [])
case('hook-without-expression', f'{V} validateWorkflowHooks: "hooks.running Expression required"', wft([leaf('main'), leaf('bye')], spec_extra={'hooks': {'running': {'template': 'bye'}}}), ['ARG027'])
case('exit-hook-without-expression', f'{V} validateWorkflowHooks: the exit hook needs no expression', wft([leaf('main'), leaf('bye')], spec_extra={'hooks': {'exit': {'template': 'bye'}}}), [])
# ---- arguments ----
case('workflow-argument-without-value-lint', f'{V} ValidateWorkflow: with opts.Lint only validateArgumentsFieldNames runs (argots lint = lint mode)',
     wft([leaf('main')], spec_extra={'arguments': {'parameters': [{'name': 'x'}]}}, kind='Workflow', meta={'generateName': 'w-'}), [])
case('template-argument-without-value', f'{V} validateArgumentsValues: allowEmptyValues for WorkflowTemplateValidation', wft([leaf('main')], spec_extra={'arguments': {'parameters': [{'name': 'x'}]}}), [])
case('argument-number-value', 'AnyString.UnmarshalJSON: a JSON number is read as its text', wft([leaf('main')], spec_extra={'arguments': {'parameters': [{'name': 'x', 'value': 3}]}}), [])
case('argument-bool-value', 'AnyString.UnmarshalJSON: a JSON boolean is read as its text', wft([leaf('main')], spec_extra={'arguments': {'parameters': [{'name': 'x', 'value': True}]}}), [])
case('argument-enum-ok', f'{V} validateArgumentsValues: the value is one of enum', wft([leaf('main')], spec_extra={'arguments': {'parameters': [{'name': 'x', 'value': 'a', 'enum': ['a', 'b']}]}}), [])
case('argument-enum-missing', f'{V} validateArgumentsValues: "value should be present in spec.arguments.parameters.x.enum list"', wft([leaf('main')], spec_extra={'arguments': {'parameters': [{'name': 'x', 'value': 'c', 'enum': ['a', 'b']}]}}), ['ARG024'])
case('argument-enum-empty', f'{V} validateArgumentsValues: "enum should contain at least one value"', wft([leaf('main')], spec_extra={'arguments': {'parameters': [{'name': 'x', 'value': 'c', 'enum': []}]}}), ['ARG024'])
case('argument-valuefrom-configmap', f'{V} validateArgumentsValues: valueFrom.configMapKeyRef allowed', wft([leaf('main')], spec_extra={'arguments': {'parameters': [{'name': 'x', 'valueFrom': {'configMapKeyRef': {'name': 'c', 'key': 'k'}}}]}}), [])
case('argument-valuefrom-path', f'{V} validateArgumentsValues: only configMapKeyRef/event/supplied/default in arguments', wft([leaf('main')], spec_extra={'arguments': {'parameters': [{'name': 'x', 'valueFrom': {'path': '/tmp/x'}}]}}), ['ARG023'])
# ---- template types ----
case('no-template-type', f'{V} validateTemplateType: "template type unspecified. choose one of: container, containerSet, steps, dag, resource, script, suspend"', wft([{'name': 'main'}]), ['ARG040'])
case('two-template-types', f'{V} validateTemplateType: "multiple template types specified"', wft([{'name': 'main', 'container': {'image': 'a'}, 'script': {'image': 'a', 'source': 'x'}}]), ['ARG040'])
for t, body in [('suspend', {'suspend': {}}), ('script', {'script': {'image': 'alpine', 'source': 'echo'}}), ('http', {'http': {'url': 'https://example.com'}}), ('data', {'data': {'source': {'artifactPaths': {'name': 'a', 's3': {'key': 'k'}}}, 'transformation': [{'expression': 'x'}]}}), ('containerset', {'containerSet': {'containers': [{'name': 'main', 'image': 'alpine'}]}})]:
    case(f'type-{t}', f'{V} validateTemplateType: {t} is one template type', wft([dict({'name': 'main'}, **body)]), [])
for a, ok in [('get', True), ('create', True), ('apply', True), ('delete', True), ('replace', True), ('patch', True), ('{{inputs.parameters.action}}', True), ('destroy', False)]:
    res = {'action': a, 'manifest': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n'}
    inputs = {'parameters': [{'name': 'action', 'value': 'create'}]}
    case(f'resource-action-{re.sub("[^a-z]", "", a)}', f'{V} validateLeaf: resource action get/create/apply/delete/replace/patch, checked after ProcessArgs substituted inputs',
         wft([{'name': 'main', 'inputs': inputs, 'resource': res}]), [] if ok else ['ARG050'])
case('resource-no-manifest', f'{V} validateLeaf: "must provide a resource manifest"', wft([{'name': 'main', 'resource': {'action': 'create'}}]), ['ARG051'])
case('resource-delete-no-manifest', f'{V} validateLeaf: get and delete may name the resource by flags', wft([{'name': 'main', 'resource': {'action': 'delete', 'flags': ['cm', 'x']}}]), [])
case('resource-bad-yaml', f'{V} validateLeaf: the manifest must be valid YAML (yaml.Unmarshal)', wft([{'name': 'main', 'resource': {'action': 'create', 'manifest': 'a: [b\n'}}]), ['ARG052'])
for r, ok in [('Always', True), ('OnError', True), ('OnFailure', True), ('OnTransientError', True), ('Sometimes', False)]:
    case(f'retry-policy-{r.lower()}', f'{V} validateLeaf/validateNonLeaf -> retryStrategy.retryPolicy', wft([leaf('main', retryStrategy={'limit': 2, 'retryPolicy': r})]), [] if ok else ['ARG044'])
for to, ok in [('10s', True), ('1h30m', True), ('{{inputs.parameters.t}}', True), ('10', False)]:
    inputs = {'parameters': [{'name': 't', 'value': '5s'}]}
    case(f'timeout-{re.sub("[^a-z0-9]", "", to)}', f'{V} validateTemplate: "has invalid duration format in timeout" for a whole number', wft([leaf('main', inputs=inputs, timeout=to)]), [] if ok else ['ARG043'])
case('timeout-on-dag', f'{V} validateTemplate: "dag template doesn\'t support timeout field"', wft([dag([{'name': 'a', 'template': 'echo'}], timeout='10s'), leaf()]), ['ARG041'])
case('parallelism-on-container', f'{V} validateLeaf: "parallelism is only valid for steps and dag templates"', wft([leaf('main', parallelism=2)]), ['ARG042'])
case('parallelism-on-dag', f'{V} validateNonLeaf: parallelism allowed on dag', wft([dag([{'name': 'a', 'template': 'echo'}], parallelism=2), leaf()]), [])
case('active-deadline-on-steps', f'{V} validateNonLeaf: "activeDeadlineSeconds is only valid for leaf templates"', wft([steps([[{'name': 'a', 'template': 'echo'}]], activeDeadlineSeconds=10), leaf()]), ['ARG041'])
case('container-no-image', f'{V} validateLeaf: "container.image may not be empty"', wft([{'name': 'main', 'container': {'command': ['x']}}]), ['ARG045'])
case('container-image-from-defaults', f'{V} validateLeaf: templateDefaults merged before the image check', wft([{'name': 'main', 'container': {'command': ['x']}}], spec_extra={'templateDefaults': {'container': {'image': 'alpine'}}}), [])
case('sidecar-reserved-name', f'{V} validateLeaf: "sidecars[0].name \'wait\' is reserved"', wft([leaf('main', sidecars=[{'name': 'wait', 'image': 'alpine'}])]), ['ARG047'])
case('volume-mount-twice', f'{V} validateLeaf: volume mount paths unique', wft([{'name': 'main', 'container': {'image': 'a', 'volumeMounts': [{'name': 'v', 'mountPath': '/x'}, {'name': 'w', 'mountPath': '/x'}]}}], spec_extra={'volumes': [{'name': 'v', 'emptyDir': {}}, {'name': 'w', 'emptyDir': {}}]}), ['ARG046'])
case('vct-without-typemeta', 'types.go WorkflowSpec.VolumeClaimTemplates []apiv1.PersistentVolumeClaim: TypeMeta optional',
     wft([leaf('main')], spec_extra={'volumeClaimTemplates': [{'metadata': {'name': 'work'}, 'spec': {'accessModes': ['ReadWriteOnce'], 'resources': {'requests': {'storage': '1Gi'}}}}]}), [])
case('input-artifact-no-path', f'{V} validateInputs: "inputs.artifacts.a.path not specified" on a leaf', wft([leaf('main', inputs={'artifacts': [{'name': 'a', 'raw': {'data': 'x'}}]})]), ['ARG048'])
case('input-artifact-path', f'{V} validateInputs: a leaf artifact with path', wft([leaf('main', inputs={'artifacts': [{'name': 'a', 'path': '/tmp/a', 'raw': {'data': 'x'}}]})]), [])
# ---- outputs ----
case('output-value-and-valuefrom', f'{V} validateOutputs: "valueFrom or value, but not both"', wft([leaf('main', outputs={'parameters': [{'name': 'o', 'value': 'x', 'valueFrom': {'path': '/x'}}]})]), ['ARG055'])
case('output-valuefrom-two', f'{V} validateOutputs: "valueFrom must have exactly one source"', wft([leaf('main', outputs={'parameters': [{'name': 'o', 'valueFrom': {'path': '/x', 'jsonPath': '{.a}'}}]})]), ['ARG056'])
case('output-container-jsonpath', f'{V} validateOutputs: container outputs need path', wft([leaf('main', outputs={'parameters': [{'name': 'o', 'valueFrom': {'jsonPath': '{.a}'}}]})]), ['ARG057'])
case('output-resource-jsonpath', f'{V} validateOutputs: resource outputs read jsonPath or jqFilter', wft([{'name': 'main', 'resource': {'action': 'create', 'manifest': 'a: b\n'}, 'outputs': {'parameters': [{'name': 'o', 'valueFrom': {'jsonPath': '{.a}'}}]}}]), [])
case('output-dag-parameter', f'{V} validateOutputs: dag outputs read parameter', wft([dag([{'name': 'a', 'template': 'echo'}], outputs={'parameters': [{'name': 'o', 'valueFrom': {'parameter': '{{tasks.a.outputs.result}}'}}]}), leaf()]), [])
case('output-dag-path', f'{V} validateOutputs: dag outputs cannot read a path', wft([dag([{'name': 'a', 'template': 'echo'}], outputs={'parameters': [{'name': 'o', 'valueFrom': {'path': '/x'}}]}), leaf()]), ['ARG057'])
case('output-supplied', f'{V} validateOutputs: supplied on a suspend template', wft([{'name': 'main', 'suspend': {}, 'outputs': {'parameters': [{'name': 'o', 'valueFrom': {'supplied': {}}}]}}]), [])
# ---- steps ----
case('steps-two-loops', f'{V} validateSteps: "only one of withItems, withParam, withSequence"', wft([steps([[{'name': 'a', 'template': 'echo', 'withItems': [1], 'withParam': '[1]'}]]), leaf()]), ['ARG070'])
case('steps-sequence-count-end', f'{V} validateWithSequence: "only one of count or end can be defined"', wft([steps([[{'name': 'a', 'template': 'echo', 'withSequence': {'count': '2', 'end': '3'}}]]), leaf()]), ['ARG071'])
case('steps-later-group', f'{V} validateSteps: outputs of a later step are not in scope ("failed to resolve {{steps.b.outputs.result}}")',
     wft([steps([[{'name': 'a', 'template': 'echo', 'arguments': {'parameters': [{'name': 'm', 'value': '{{steps.b.outputs.result}}'}]}}], [{'name': 'b', 'template': 'echo'}]]), leaf(inputs={'parameters': [{'name': 'm', 'value': 'x'}]})]), ['ARG072'])
case('steps-earlier-group', f'{V} validateSteps: outputs of an earlier group are in scope',
     wft([steps([[{'name': 'b', 'template': 'echo'}], [{'name': 'a', 'template': 'echo', 'arguments': {'parameters': [{'name': 'm', 'value': '{{steps.b.outputs.result}}'}]}}]]), leaf(inputs={'parameters': [{'name': 'm', 'value': 'x'}]})]), [])
case('step-name-from-input', f'{V} validateSteps runs on the template after ProcessArgs: a name built from an input is a placeholder',
     wft([steps([[{'name': '{{inputs.parameters.nm}}', 'template': 'echo'}]], inputs={'parameters': [{'name': 'nm', 'value': 'x'}]}), leaf()]), [])
case('steps-name-variable', 'docs/variables.md: steps.name is the name of the step', wft([steps([[{'name': 'a', 'template': 'echo', 'arguments': {'parameters': [{'name': 'm', 'value': '{{steps.name}}'}]}}]]), leaf(inputs={'parameters': [{'name': 'm'}]})]), [])
case('exit-hook-own-outputs', f'{V} validateSteps: an exit hook reads the outputs of its own step',
     wft([steps([[{'name': 'a', 'template': 'echo', 'hooks': {'exit': {'template': 'show', 'arguments': {'parameters': [{'name': 'm', 'value': '{{steps.a.outputs.result}}'}]}}}}]]), leaf(), leaf('show', inputs={'parameters': [{'name': 'm'}]})]), [])
case('item-outside-loop', f'{V} resolveAllVariables: "failed to resolve {{item}}" without a loop', wft([steps([[{'name': 'a', 'template': 'echo', 'arguments': {'parameters': [{'name': 'm', 'value': '{{item}}'}]}}]]), leaf(inputs={'parameters': [{'name': 'm'}]})]), ['ARG090'])
case('item-in-loop', f'{V} addItemsToScope: item in scope with withItems', wft([steps([[{'name': 'a', 'template': 'echo', 'withItems': ['x', 'y'], 'arguments': {'parameters': [{'name': 'm', 'value': '{{item}}'}]}}]]), leaf(inputs={'parameters': [{'name': 'm'}]})]), [])
case('item-key-withparam', f'{V} addItemsToScope: anyItemMagicValue for withParam (any item.key)', wft([steps([[{'name': 'a', 'template': 'echo', 'withParam': '[{"k":1}]', 'arguments': {'parameters': [{'name': 'm', 'value': '{{item.k}}'}]}}]]), leaf(inputs={'parameters': [{'name': 'm'}]})]), [])
# ---- dag ----
case('dag-empty', f'{V} validateDAG: "must have at least one task"', wft([{'name': 'main', 'dag': {'tasks': []}}]), ['ARG080'])
case('dag-depends-and-dependencies-one-task', f'{V} validateDAG: "cannot use both \'depends\' and \'dependencies\' in the same DAG template"', wft([dag([{'name': 'a', 'template': 'echo'}, {'name': 'b', 'template': 'echo', 'depends': 'a', 'dependencies': ['a']}]), leaf()]), ['ARG081'])
case('dag-depends-and-dependencies-two-tasks', f'{V} validateDAG: usingDepends is DAG-wide', wft([dag([{'name': 'a', 'template': 'echo'}, {'name': 'b', 'template': 'echo', 'depends': 'a'}, {'name': 'c', 'template': 'echo', 'dependencies': ['a']}]), leaf()]), ['ARG081'])
case('dag-continueon-other-task', f'{V} validateDAG: "cannot use \'continueOn\' when using \'depends\'", DAG-wide', wft([dag([{'name': 'a', 'template': 'echo', 'continueOn': {'failed': True}}, {'name': 'b', 'template': 'echo', 'depends': 'a'}]), leaf()]), ['ARG082'])
case('dag-continueon-dependencies', f'{V} validateDAG: continueOn with dependencies is fine', wft([dag([{'name': 'a', 'template': 'echo', 'continueOn': {'failed': True}}, {'name': 'b', 'template': 'echo', 'dependencies': ['a']}]), leaf()]), [])
case('dag-digit-name-depends', f'{V} validateDAG: "name cannot begin with a digit when using \'depends\'"', wft([dag([{'name': '1a', 'template': 'echo'}, {'name': 'b', 'template': 'echo', 'depends': '1a'}]), leaf()]), ['ARG087'])
case('dag-digit-name-dependencies', f'{V} validateDAG: the digit rule applies only with depends', wft([dag([{'name': '1a', 'template': 'echo'}, {'name': 'b', 'template': 'echo', 'dependencies': ['1a']}]), leaf()]), [])
case('dag-unknown-dependency', f'{V} validateDAG: "dependency \'x\' not defined"', wft([dag([{'name': 'a', 'template': 'echo', 'dependencies': ['x']}]), leaf()]), ['ARG083'])
case('dag-cycle', f'{V} verifyNoCycles: "dependency cycle detected"', wft([dag([{'name': 'a', 'template': 'echo', 'dependencies': ['b']}, {'name': 'b', 'template': 'echo', 'dependencies': ['a']}]), leaf()]), ['ARG085'])
case('dag-target-unknown', f'{V} validateDAGTargets: "target \'x\' is not defined"', wft([{'name': 'main', 'dag': {'target': 'x', 'tasks': [{'name': 'a', 'template': 'echo'}]}}, leaf()]), ['ARG086'])
case('dag-target-variable', f'{V} validateDAGTargets: a parameter target is skipped', wft([{'name': 'main', 'inputs': {'parameters': [{'name': 't', 'value': 'a'}]}, 'dag': {'target': '{{inputs.parameters.t}}', 'tasks': [{'name': 'a', 'template': 'echo'}]}}, leaf()]), [])
for r, ok in [('Succeeded', True), ('Failed', True), ('Errored', True), ('Skipped', True), ('Omitted', True), ('Daemoned', True), ('Bogus', False)]:
    case(f'depends-result-{r.lower()}', 'workflow/common/ancestry.go / ValidateTaskResults: known task results', wft([dag([{'name': 'a', 'template': 'echo'}, {'name': 'b', 'template': 'echo', 'depends': f'a.{r}'}]), leaf()]), [] if ok else ['ARG084'])
case('depends-anysucceeded-loop', 'ValidateTaskResults: AnySucceeded on a looping task', wft([dag([{'name': 'a', 'template': 'echo', 'withItems': [1, 2]}, {'name': 'b', 'template': 'echo', 'depends': 'a.AnySucceeded'}]), leaf()]), [])
case('depends-anysucceeded-no-loop', 'ValidateTaskResults: "AnySucceeded ... only available for tasks that use withItems/withParam/withSequence"', wft([dag([{'name': 'a', 'template': 'echo'}, {'name': 'b', 'template': 'echo', 'depends': 'a.AnySucceeded'}]), leaf()]), ['ARG084'])
case('task-name-from-input', f'{V} validateDAG runs after ProcessArgs: a task name from an input', wft([dag([{'name': '{{inputs.parameters.nm}}', 'template': 'echo'}], inputs={'parameters': [{'name': 'nm', 'value': 'x'}]}), leaf()]), [])
case('tasks-name-variable', 'docs/variables.md: tasks.name', wft([dag([{'name': 'a', 'template': 'echo', 'arguments': {'parameters': [{'name': 'm', 'value': '{{tasks.name}}'}]}}]), leaf(inputs={'parameters': [{'name': 'm'}]})]), [])
case('task-reads-upstream', f'{V} validateDAG: ancestors\' outputs in scope', wft([dag([{'name': 'a', 'template': 'echo'}, {'name': 'b', 'template': 'show', 'depends': 'a', 'arguments': {'parameters': [{'name': 'm', 'value': '{{tasks.a.outputs.result}}'}]}}]), leaf(), leaf('show', inputs={'parameters': [{'name': 'm'}]})]), [])
# ---- references ----
case('template-and-templateref', f'{V} validateTemplateHolder: "template and templateRef cannot both be set"', wft([dag([{'name': 'a', 'template': 'echo', 'templateRef': {'name': 'xx', 'template': 'yy'}}]), leaf()]), ['ARG060'])
case('templateref-missing-template', f'{V} validateTemplateHolder: "template name is required" in templateRef', wft([dag([{'name': 'a', 'templateRef': {'name': 'corpus'}}]), leaf()]), ['ARG062'])
case('templateref-self', f'{V} validateTemplateHolder: templateRef resolves within the given templates', wft([dag([{'name': 'a', 'templateRef': {'name': 'corpus', 'template': 'echo'}}]), leaf()]), [])
case('templateref-unknown-template', f'{V} templateresolution: "template x not found in workflow template corpus"', wft([dag([{'name': 'a', 'templateRef': {'name': 'corpus', 'template': 'nope'}}]), leaf()]), ['ARG064'])
case('input-not-supplied', f'{V} validateTemplateHolder -> ProcessArgs: "inputs.parameters.m was not supplied"', wft([dag([{'name': 'a', 'template': 'show'}]), leaf('show', inputs={'parameters': [{'name': 'm'}]})]), ['ARG065'])
case('input-default', f'{V} ProcessArgs: a default supplies the input', wft([dag([{'name': 'a', 'template': 'show'}]), leaf('show', inputs={'parameters': [{'name': 'm', 'default': 'x'}]})]), [])
# ---- variables ----
for v, ok in [('workflow.name', True), ('workflow.namespace', True), ('workflow.uid', True), ('workflow.serviceAccountName', True), ('workflow.creationTimestamp', True), ('workflow.creationTimestamp.Y', True), ('workflow.duration', True), ('workflow.priority', True), ('workflow.parameters.json', True), ('workflow.labels.team', True), ('workflow.annotations.owner', True), ('workflow.nope', False), ('pod.name', True), ('pod.nope', False), ('inputs.parameters.m', True), ('inputs.parameters.zz', False)]:
    case(f'variable-{re.sub("[^a-z0-9]", "-", v.lower())}', f'{V} resolveAllVariables / newTemplateValidationCtx globals; docs/variables.md', wft([leaf('main', inputs={'parameters': [{'name': 'm', 'value': 'x'}]}, container={'image': 'alpine', 'args': ['{{' + v + '}}']})]), [] if ok else ['ARG090'])
case('expression-tag-skipped', f'{V} resolveAllVariables: "{{{{=" expressions are not resolved by the validator', wft([leaf('main', container={'image': 'alpine', 'args': ['{{=sprig.upper("a")}}']})]), [])
case('retries-with-strategy', f'{V} validateTemplate: retries in scope with retryStrategy', wft([leaf('main', retryStrategy={'limit': 1}, container={'image': 'alpine', 'args': ['{{retries}}']})]), [])
# ---- cron ----
def cron(extra):
    spec = {'schedules': ['0 * * * *'], 'workflowSpec': {'entrypoint': 'main', 'templates': [leaf('main')]}}
    spec.update(extra)
    return {'apiVersion': 'argoproj.io/v1alpha1', 'kind': 'CronWorkflow', 'metadata': {'name': 'nightly'}, 'spec': spec}
for s, ok in [('0 * * * *', True), ('*/5 * * * *', True), ('@daily', True), ('@every 1h', True), ('0 0 * * 1-5', True), ('61 * * * *', False), ('* * *', False)]:
    case(f'cron-schedule-{re.sub("[^a-z0-9]", "", s.lower()) or "x"}', f'{V} ValidateCronWorkflow: cron.ParseStandard', cron({'schedules': [s]}), [] if ok else ['ARG031'])
for z, ok in [('Europe/Paris', True), ('UTC', True), ('Mars/Base', False)]:
    case(f'cron-timezone-{re.sub("[^a-z]", "", z.lower())}', 'ValidateCronWorkflow: time.LoadLocation(timezone)', cron({'timezone': z}), [] if ok else ['ARG032'])
for c, ok in [('Allow', True), ('Forbid', True), ('Replace', True), ('Sometimes', False)]:
    case(f'cron-concurrency-{c.lower()}', f'{V} ValidateCronWorkflow: "\'%s\' is not a valid concurrencyPolicy"', cron({'concurrencyPolicy': c}), [] if ok else ['ARG033'])
case('cron-negative-deadline', f'{V} ValidateCronWorkflow: "startingDeadlineSeconds must be positive"', cron({'startingDeadlineSeconds': -1}), ['ARG034'])
case('cron-name-52', 'ValidateCronWorkflow: name at most 52 characters', dict(cron({}), metadata={'name': 'c' * 52}), [])
case('cron-name-53', 'ValidateCronWorkflow: "cron workflow name %q must not be more than 52 characters long"', dict(cron({}), metadata={'name': 'c' * 53}), ['ARG010'])
case('cron-argument-no-value-lint', 'ValidateCronWorkflow with opts.Lint: argument names only', cron({'workflowSpec': {'entrypoint': 'main', 'arguments': {'parameters': [{'name': 'x'}]}, 'templates': [leaf('main')]}}), [])
# ---- metrics and artifact locations (validate.go validateTemplate, validateInputs, validateArtifactLocation,
# validateLeaf, validateOutputs; workflow/metrics: IsValidMetricName, ValidateMetricLabels, ValidateMetricValues) ----
def metric(**m):
    base = {'name': 'build_seconds', 'help': 'build time', 'gauge': {'value': '{{workflow.duration}}', 'realtime': False}}
    base.update(m)
    return leaf('main', metrics={'prometheus': [base]})
M = 'workflow/metrics'
case('metric-ok', f'{V} validateTemplate -> {M} IsValidMetricName / ValidateMetricValues accept a named, helped gauge', wft([metric()]), [])
case('metric-name-dash', f'{M} IsValidMetricName: "metric name is invalid: names may only contain alphanumeric characters or \'_\'"', wft([metric(name='build-seconds')]), ['ARG093'])
case('metric-name-colon', f'{M} IsValidMetricName: a name with ":" is refused', wft([metric(name='build:seconds')]), ['ARG093'])
case('metric-label-key', f'{M} ValidateMetricLabels: "metric label \'%s\' is invalid"', wft([metric(labels=[{'key': 'team-name', 'value': 'x'}])]), ['ARG093'])
case('metric-empty-help', f'{V} validateTemplate: "metric \'%s\' must contain a help string under \'help: \' field"', wft([metric(help='')]), ['ARG094'])
case('metric-counter-no-value', f'{M} ValidateMetricValues: "missing counter.value"', wft([metric(gauge=None, counter={'value': ''})]), ['ARG094'])
case('metric-realtime-resources-duration', f'{M} ValidateMetricValues: "\'resourcesDuration.*\' metrics cannot be used in real-time"', wft([metric(gauge={'value': '{{resourcesDuration.cpu}}', 'realtime': True})]), ['ARG094'])
case('input-artifact-from', f'{V} validateInputs: "templates.%s.%s.from not valid in inputs"', wft([leaf('main', inputs={'artifacts': [{'name': 'a', 'path': '/a', 'from': 'x'}]})]), ['ARG049'])
case('input-artifact-git-no-repo', f'{V} validateArtifactLocation: "%s.git.repo is required"', wft([leaf('main', inputs={'artifacts': [{'name': 'src', 'path': '/src', 'git': {'revision': 'main'}}]})]), ['ARG095'])
case('input-artifact-git-repo', f'{V} validateArtifactLocation: a git artifact with its repo', wft([leaf('main', inputs={'artifacts': [{'name': 'src', 'path': '/src', 'git': {'repo': 'https://github.com/argoproj/argo-workflows.git'}}]})]), [])
case('manifest-from-unknown-artifact', f'{V} validateLeaf: "artifact %s in `manifestFrom` refer to a non-exist artifact"', wft([{'name': 'main', 'inputs': {'artifacts': [{'name': 'm', 'path': '/m', 'raw': {'data': 'a: b'}}]}, 'resource': {'action': 'apply', 'manifestFrom': {'artifact': {'name': 'other'}}}}]), ['ARG053'])
case('manifest-from-input-artifact', f'{V} validateLeaf: manifestFrom names an input artifact', wft([{'name': 'main', 'inputs': {'artifacts': [{'name': 'm', 'path': '/m', 'raw': {'data': 'a: b'}}]}, 'resource': {'action': 'apply', 'manifestFrom': {'artifact': {'name': 'm'}}}}]), [])
case('output-global-name-bad', f'{V} validateOutputs: "%s.globalName: %s" (isValidParamOrArtifactName)', wft([leaf('main', outputs={'parameters': [{'name': 'o', 'globalName': 'a.b', 'valueFrom': {'path': '/o'}}]})]), ['ARG059'])
case('output-global-name-parameter', f'{V} validateOutputs: a globalName that is a {{{{parameter}}}} is checked at run time', wft([leaf('main', inputs={'parameters': [{'name': 'g', 'value': 'x'}]}, outputs={'parameters': [{'name': 'o', 'globalName': '{{inputs.parameters.g}}', 'valueFrom': {'path': '/o'}}]})]), [])
# ---- YAML as Go reads it (sigs.k8s.io/yaml, go-yaml v2) ----
RAW_HEAD = 'apiVersion: argoproj.io/v1alpha1\nkind: WorkflowTemplate\nmetadata:\n  name: corpus\nspec:\n  entrypoint: main\n  templates:\n'
case('yaml-quoted-continuation-at-parent-indent', 'go-yaml v2 scanner: a double-quoted scalar continued at the parent\'s indentation is accepted (examples/*.yaml in argo-workflows)', None, [],
     raw=RAW_HEAD + '    - name: main\n      container:\n        image: alpine:3.20\n        args: ["\n          echo hello\n        "]\n')
case('yaml-octal-mode', 'go-yaml v2 resolve: 0755 is an octal int (493); defaultMode is an int32', None, [],
     raw=RAW_HEAD + '    - name: main\n      container:\n        image: alpine:3.20\n      volumes:\n        - name: s\n          secret:\n            secretName: s\n            defaultMode: 0755\n')
case('yaml-duplicate-key', 'go-yaml v2 decoding into a map keeps the last value; argots warns (ARG006)', None, [],
     raw=RAW_HEAD + '    - name: main\n      container:\n        image: alpine:3.19\n        image: alpine:3.20\n', warn=['ARG006'])
case('yaml-number-parameter', 'AnyString.UnmarshalJSON accepts a number', None, [],
     raw=RAW_HEAD + '    - name: main\n      inputs:\n        parameters:\n          - name: n\n            value: 3\n      container:\n        image: alpine:3.20\n')
case('yaml-yes-is-bool', 'go-yaml v2 resolve: yes is the boolean true (continueOn.failed is a bool)', None, [],
     raw=RAW_HEAD + '    - name: main\n      dag:\n        tasks:\n          - name: a\n            template: echo\n            continueOn:\n              failed: yes\n    - name: echo\n      container:\n        image: alpine:3.20\n')
case('yaml-sexagesimal-stays-text', 'go-yaml v2 has no sexagesimal ints: 12:30:00 is a string (a parameter value)', None, [],
     raw=RAW_HEAD + '    - name: main\n      inputs:\n        parameters:\n          - name: at\n            value: 12:30:00\n      container:\n        image: alpine:3.20\n')
case('yaml-syntax-error', 'go-yaml v2: an unclosed flow sequence is an error', None, ['ARG005'],
     raw=RAW_HEAD + '    - name: main\n      container:\n        image: alpine:3.20\n        args: [a, b\n')

# ---- write ----
for f in os.listdir(HERE):
    if re.match(r'^\d{3}-.*\.yaml$', f):
        os.remove(os.path.join(HERE, f))
for i, (slug, upstream, doc, expect, raw, warn) in enumerate(cases, start=1):
    head = f'# upstream: {upstream}\n# argo: {"accepts" if not expect else "rejects"}\n# expect: {",".join(expect) if expect else "none"}\n'
    if warn:
        head += f'# warnings: {",".join(warn)}\n'
    body = raw if raw is not None else yaml.safe_dump(doc, sort_keys=False, width=1000)
    with open(os.path.join(HERE, f'{i:03d}-{slug}.yaml'), 'w') as out:
        out.write(head + body)
print(len(cases), 'cases')
