/**
 * Pod names as Argo forms them with POD_NAMES=v2 (`workflow/util/pod_name.go`): `<workflow>-<template>-<fnv32a
 * of the node name>`, the workflow's name alone for a workflow whose root node is the pod.
 */
function fnv32a(text: string): number {
  let h = 0x811c9dc5;
  for (const byte of Buffer.from(text, 'utf8')) {
    h ^= byte;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

const MAX_PREFIX = 63 - 1 - 10; // the hash and its dash

export function podName(workflowName: string, nodeName: string, templateName: string): string {
  if (workflowName === nodeName) return workflowName;
  let prefix = `${workflowName}-${templateName}`;
  if (prefix.length > MAX_PREFIX) prefix = prefix.slice(0, MAX_PREFIX);
  return `${prefix}-${fnv32a(nodeName)}`;
}
