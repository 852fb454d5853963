/**
 * `plugin` templates (docs/executor_plugins.md): the controller runs them in an agent pod, where each executor
 * plugin is a sidecar (declared by an ExecutorPlugin ConfigMap installed in the cluster) answering
 * `POST /api/v1/template.execute`, and the agent reports the node's phase from its replies. No plugin is
 * installed on this machine and its sidecar image, port, service account and token come from the cluster, so
 * argots run refuses such a template before anything runs rather than pretending it ran.
 */

export const PLUGIN_HINT = 'swap it for a template with the same inputs and outputs: --replace-template NAME=FILE (e.g. a script or http template doing what the plugin does)';

/** What is refused: the template, where it is, and the plugin it names. */
export function pluginRefusal(template: string, plugin: unknown, source?: string): string {
  const names = plugin !== null && typeof plugin === 'object' ? Object.keys(plugin) : [];
  const which = names.length > 0 ? `executor plugin "${names.join('", "')}"` : 'an executor plugin';
  return `${source ? `${source} ` : ''}template "${template}" calls ${which}: plugins run as sidecars of the cluster's agent pod (installed with an ExecutorPlugin ConfigMap), and argots run has none to call`;
}
