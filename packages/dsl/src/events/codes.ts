/**
 * The registry of Argo Events codes (ARG300–ARG399): one line per code, stable forever.
 * Builders, `validateEventResources`, `checkTriggerAgreement` and `lintYaml` (for Sensor and EventSource
 * documents) report them.
 */
export const EVENT_CODES = {
  ARG300: 'a GitHub webhook has no webhook secret (GitHub signatures would not be verified)',
  ARG301: 'a GitHub webhook names neither repositories nor organisations',
  ARG302: 'a repository is not "owner/name"',
  ARG303: 'a branch or tag glob is empty or uses characters git refs cannot contain',
  ARG304: 'a GitHub webhook has no events, or an event GitHub does not send',
  ARG305: 'a GitHub webhook uses an API token instead of GitHub App credentials',
  ARG306: 'a webhook endpoint or port is invalid',
  ARG307: 'a calendar event has neither schedule nor interval, or an invalid one',
  ARG308: 'an EventSource defines no event',
  ARG310: 'schema: a value has the wrong type, or a required field is missing',
  ARG311: 'a Sensor has no dependencies',
  ARG312: 'a dependency lacks name, eventSourceName or eventName',
  ARG313: 'two dependencies have the same name',
  ARG314: 'a Sensor has no triggers',
  ARG315: 'a trigger name is missing or used twice',
  ARG316: 'a trigger has no type, or more than one',
  ARG317: 'a trigger lacks a field its type requires',
  ARG318: 'a trigger parameter lacks src.dependencyName or dest',
  ARG319: 'a trigger parameter names a dependency the Sensor does not have',
  ARG320: 'a trigger parameter operation is not append, overwrite or prepend',
  ARG321: 'a dest or data path is not a valid sjson / gjson path',
  ARG322: 'a logical operator is not "and" or "or"',
  ARG323: 'a data filter lacks path, type or values',
  ARG324: 'a data filter type is not string, number or bool',
  ARG325: 'a data filter comparator is unknown or does not fit its type',
  ARG326: 'a data filter value is not a valid regular expression, number or boolean',
  ARG327: 'an expr filter lacks expr or fields, does not parse, or reads an unbound name',
  ARG328: 'a time filter is not hh:mm:ss, or start equals stop',
  ARG329: 'trigger conditions do not parse or name an unknown dependency',
  ARG330: 'a dependency names an EventSource or event that does not exist',
  ARG331: 'the Sensor fills a parameter the WorkflowTemplate does not declare',
  ARG332: 'a WorkflowTemplate parameter without a default is not filled by the Sensor',
  ARG333: 'a Go template (dataTemplate, contextTemplate, filter template) does not parse',
  ARG334: 'a trigger submits a WorkflowTemplate that is not among the resources given',
  ARG335: 'a retryStrategy, rateLimit or policy value is invalid',
  ARG336: 'a Sensor dependency has no filters: it fires on every event of a webhook EventSource',
  ARG337: 'a data filter reads a header without .0: headers are lists, so an anchored value never matches',
  ARG338: 'a pull-request trigger has no actions, an action GitHub does not send, or an empty label',
  ARG350: 'an event-derived value is placed inside script source, a shell -c string or a resource manifest',
} as const;

export type EventCode = keyof typeof EVENT_CODES;
