import type { IIoK8sApiCoreV1Container } from 'kubernetes-models/v1/Container';
import type { IIoK8sApiCoreV1EnvVar } from 'kubernetes-models/v1/EnvVar';
import type { IIoK8sApiCoreV1EnvVarSource } from 'kubernetes-models/v1/EnvVarSource';
import type { Text } from './value.js';

/** An environment variable filled from a secret, a config map or a pod field. */
export interface EnvSource {
  readonly kind: 'env-source';
  readonly valueFrom: Readonly<IIoK8sApiCoreV1EnvVarSource>;
}

/** Environment variables: `NAME: value` (text, a typed value, or a source), or Kubernetes' own list. */
export type EnvSpec<S> = Readonly<Record<string, Text<S> | EnvSource>> | readonly Readonly<IIoK8sApiCoreV1EnvVar>[];

/**
 * A container, typed by Kubernetes' model; `image`, `command`, `args` and env values may be typed values.
 * Every other field (resources, volumeMounts, securityContext, ports, …) is Kubernetes' own.
 */
export type ContainerSpec<S> = Readonly<Omit<IIoK8sApiCoreV1Container, 'name' | 'image' | 'command' | 'args' | 'env' | 'workingDir'>> & {
  readonly image?: Text<S>;
  readonly command?: readonly Text<S>[];
  readonly args?: readonly Text<S>[];
  readonly env?: EnvSpec<S>;
  readonly workingDir?: Text<S>;
};

function source(valueFrom: IIoK8sApiCoreV1EnvVarSource): EnvSource {
  return Object.freeze({ kind: 'env-source', valueFrom: Object.freeze(valueFrom) });
}

/**
 * Environment variable sources.
 * @example
 * env: { TOKEN: env.secret('github-app', 'token'), POD: env.field('metadata.name'), LEVEL: 'debug' }
 */
export const env = Object.freeze({
  /** A key of a Secret. */
  secret(name: string, key: string, options: { readonly optional?: boolean } = {}): EnvSource {
    return source({ secretKeyRef: { name, key, ...(options.optional === undefined ? {} : { optional: options.optional }) } });
  },
  /** A key of a ConfigMap. */
  configMap(name: string, key: string, options: { readonly optional?: boolean } = {}): EnvSource {
    return source({ configMapKeyRef: { name, key, ...(options.optional === undefined ? {} : { optional: options.optional }) } });
  },
  /** A field of the pod (`metadata.name`, `status.podIP`, …). */
  field(fieldPath: string): EnvSource {
    return source({ fieldRef: { fieldPath } });
  },
  /** A resource limit or request of the container (`limits.memory`). */
  resource(resource: string, options: { readonly containerName?: string; readonly divisor?: string } = {}): EnvSource {
    return source({ resourceFieldRef: { resource, ...options } });
  },
});

function isEnvSource(v: unknown): v is EnvSource {
  return typeof v === 'object' && v !== null && (v as Partial<EnvSource>).kind === 'env-source';
}

/** Kubernetes' env list from an {@link EnvSpec}. */
export function envList<S>(spec: EnvSpec<S>): readonly unknown[] {
  if (Array.isArray(spec)) return spec;
  return Object.entries(spec as Readonly<Record<string, Text<S> | EnvSource>>).map(([name, value]) =>
    isEnvSource(value) ? { name, valueFrom: value.valueFrom } : { name, value },
  );
}

/** A container spec with its env as Kubernetes' list. */
export function normalizeContainer<S>(spec: ContainerSpec<S> & { readonly name?: string }): Record<string, unknown> {
  const { env: e, ...rest } = spec;
  return e === undefined ? { ...rest } : { ...rest, env: envList(e) };
}
