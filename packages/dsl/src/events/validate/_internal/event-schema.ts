/**
 * argots' own JSON schema for the parts of Sensor and EventSource that argots reads and emits (no maintained
 * models package covers Argo Events). Objects argots models completely are closed (`additionalProperties:
 * false`), so a misspelt `dependancyName` is reported; the rest stay open, as upstream's API is larger.
 */
const str = { type: 'string' } as const;
const bool = { type: 'boolean' } as const;
const int = { type: 'integer' } as const;
const strings = { type: 'array', items: str } as const;
const stringMap = { type: 'object', additionalProperties: str } as const;
const secret = { type: 'object', required: ['name', 'key'], properties: { name: str, key: str, optional: bool }, additionalProperties: false } as const;
const intOrString = { type: ['integer', 'string', 'number'] } as const;

const metadata = {
  type: 'object',
  required: ['name'],
  properties: { name: str, namespace: str, labels: stringMap, annotations: stringMap },
} as const;

const parameter = {
  type: 'object',
  required: ['src', 'dest'],
  additionalProperties: false,
  properties: {
    src: {
      type: 'object',
      required: ['dependencyName'],
      additionalProperties: false,
      properties: { dependencyName: str, dataKey: str, dataTemplate: str, contextKey: str, contextTemplate: str, value: str, useRawData: bool },
    },
    dest: str,
    operation: str,
  },
} as const;
const parameters = { type: 'array', items: parameter } as const;
const backoff = { type: 'object', additionalProperties: false, properties: { steps: int, duration: intOrString, factor: intOrString, jitter: intOrString } } as const;

export const SENSOR_SCHEMA = {
  type: 'object',
  required: ['apiVersion', 'kind', 'metadata', 'spec'],
  properties: {
    apiVersion: { const: 'argoproj.io/v1alpha1' },
    kind: { const: 'Sensor' },
    metadata,
    spec: {
      type: 'object',
      required: ['dependencies', 'triggers'],
      properties: {
        eventBusName: str,
        replicas: int,
        errorOnFailedRound: bool,
        template: { type: 'object', properties: { serviceAccountName: str, metadata: { type: 'object', properties: { labels: stringMap, annotations: stringMap }, additionalProperties: false } } },
        dependencies: {
          type: 'array',
          items: {
            type: 'object',
            additionalProperties: false,
            properties: {
              name: str, eventSourceName: str, eventName: str, filtersLogicalOperator: str,
              transform: { type: 'object', properties: { jq: str, script: str }, additionalProperties: false },
              filters: {
                type: 'object',
                additionalProperties: false,
                properties: {
                  dataLogicalOperator: str, exprLogicalOperator: str, script: str,
                  data: { type: 'array', items: { type: 'object', additionalProperties: false, properties: { path: str, type: str, value: strings, comparator: str, template: str } } },
                  exprs: { type: 'array', items: { type: 'object', additionalProperties: false, properties: { expr: str, fields: { type: 'array', items: { type: 'object', additionalProperties: false, properties: { name: str, path: str } } } } } },
                  context: { type: 'object', additionalProperties: false, properties: { type: str, subject: str, source: str, datacontenttype: str, id: str, specversion: str, time: str } },
                  time: { type: 'object', additionalProperties: false, properties: { start: str, stop: str, timezone: str } },
                },
              },
            },
          },
        },
        triggers: {
          type: 'array',
          items: {
            type: 'object',
            properties: {
              parameters,
              retryStrategy: backoff,
              rateLimit: { type: 'object', additionalProperties: false, properties: { unit: str, requestsPerUnit: int } },
              atLeastOnce: bool,
              policy: { type: 'object' },
              template: {
                type: 'object',
                properties: {
                  name: str,
                  conditions: str,
                  argoWorkflow: { type: 'object', properties: { operation: str, parameters, args: strings, source: { type: 'object' } } },
                  k8s: { type: 'object', properties: { operation: str, parameters, source: { type: 'object' }, patchStrategy: str, liveObject: bool } },
                  http: { type: 'object', properties: { url: str, method: str, payload: parameters, parameters, headers: stringMap, timeout: int } },
                  log: { type: 'object', additionalProperties: false, properties: { intervalSeconds: int } },
                },
              },
            },
          },
        },
      },
    },
  },
} as const;

const webhookContext = {
  type: 'object',
  properties: { endpoint: str, port: str, method: str, url: str, authSecret: secret, maxPayloadSize: int, metadata: stringMap },
} as const;

export const EVENT_SOURCE_SCHEMA = {
  type: 'object',
  required: ['apiVersion', 'kind', 'metadata', 'spec'],
  properties: {
    apiVersion: { const: 'argoproj.io/v1alpha1' },
    kind: { const: 'EventSource' },
    metadata,
    spec: {
      type: 'object',
      properties: {
        eventBusName: str,
        service: { type: 'object', properties: { ports: { type: 'array', items: { type: 'object', required: ['port'], properties: { name: str, port: int, targetPort: intOrString, protocol: str } } }, clusterIP: str } },
        template: { type: 'object', properties: { serviceAccountName: str } },
        github: {
          type: 'object',
          additionalProperties: {
            type: 'object',
            properties: {
              repositories: { type: 'array', items: { type: 'object', required: ['owner', 'names'], additionalProperties: false, properties: { owner: str, names: strings } } },
              organizations: strings,
              owner: str,
              repository: str,
              events: strings,
              webhook: webhookContext,
              webhookSecret: secret,
              apiToken: secret,
              githubApp: { type: 'object', required: ['appID', 'installationID', 'privateKey'], additionalProperties: false, properties: { appID: int, installationID: int, privateKey: secret } },
              contentType: str, active: bool, insecure: bool, deleteHookOnFinish: bool, githubBaseURL: str, githubUploadURL: str, metadata: stringMap,
            },
          },
        },
        webhook: { type: 'object', additionalProperties: webhookContext },
        calendar: {
          type: 'object',
          additionalProperties: { type: 'object', properties: { schedule: str, interval: str, exclusionDates: strings, timezone: str, metadata: stringMap } },
        },
      },
    },
  },
} as const;
