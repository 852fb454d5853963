/**
 * Test support: a small Kubernetes API server (node:http, plain HTTP on 127.0.0.1, port 0) for the real
 * `kubectl` to talk to, so that resource templates (`argots run --kube-context`) are tested with the client a
 * cluster would get. It serves what kubectl needs for create / apply / get / patch / replace / delete:
 *
 * - `/version`; legacy discovery (`/api`, `/apis`, `/api/v1`, `/apis/<group>/<version>`); an OpenAPI v3 index
 *   and one document per group version whose schemas accept any object of the kind (as a CRD with
 *   `x-kubernetes-preserve-unknown-fields`), which kubectl's client-side validation reads;
 * - namespaced objects of the kinds given, kept in memory: `POST` (409 AlreadyExists), `GET` (404 NotFound,
 *   lists), `PUT`, `PATCH` (merge patch and strategic merge patch, both applied as RFC 7386 merge patch: no
 *   list merging by key), `DELETE`; `metadata.uid`, `resourceVersion`, `creationTimestamp` and `namespace` set
 *   as the API server sets them;
 * - `controllers`: what stands in for the cluster's controllers (e.g. a Job that succeeds after a while): called
 *   after each create with the stored object, they may change it later through `update`.
 * - `requests` records `METHOD path` of every request, to check which calls kubectl made.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface KubeKind {
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  readonly plural: string;
}

export type KubeObject = Record<string, unknown> & { metadata: { name: string; namespace?: string; [k: string]: unknown } };

export interface KubeApiServer {
  readonly url: string;
  /** `METHOD path` of each request, in order. */
  readonly requests: string[];
  /** The stored object, or undefined. */
  get(plural: string, namespace: string, name: string): KubeObject | undefined;
  /** Changes a stored object as a controller would (bumps resourceVersion). */
  update(plural: string, namespace: string, name: string, change: (o: KubeObject) => void): void;
  /** A kubeconfig (YAML text) with context `name` pointing at this server, namespace `default`. */
  kubeconfig(name: string): string;
  close(): Promise<void>;
}

export interface KubeApiServerOptions {
  readonly kinds: readonly KubeKind[];
  readonly controllers?: Readonly<Record<string, (created: KubeObject, server: KubeApiServer) => void>>;
}

const json = (res: ServerResponse, code: number, body: unknown): void => {
  res.statusCode = code;
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify(body));
};

const status = (res: ServerResponse, code: number, reason: string, message: string): void =>
  json(res, code, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code });

function mergePatch(target: unknown, patch: unknown): unknown {
  if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) return patch;
  const out: Record<string, unknown> = target !== null && typeof target === 'object' && !Array.isArray(target) ? { ...(target as Record<string, unknown>) } : {};
  for (const [k, v] of Object.entries(patch as Record<string, unknown>)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

function body(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let text = '';
    req.on('data', (d: Buffer) => (text += d.toString()));
    req.on('end', () => resolve(text));
  });
}

export async function startKubeApiServer(options: KubeApiServerOptions): Promise<KubeApiServer> {
  const store = new Map<string, KubeObject>();
  const requests: string[] = [];
  let revision = 1;
  const key = (plural: string, ns: string, name: string): string => `${plural}/${ns}/${name}`;
  const gv = (k: KubeKind): string => (k.group ? `${k.group}/${k.version}` : k.version);
  const groups = [...new Set(options.kinds.filter((k) => k.group).map((k) => k.group))];
  const bump = (o: KubeObject): void => {
    revision += 1;
    o.metadata.resourceVersion = String(revision);
  };

  // kubectl asks the server to validate (fieldValidation=Strict) when the POST/PATCH operations of the kind
  // declare that query parameter; this server accepts any object of the kind, as a schemaless CRD would.
  const operation = (k: KubeKind): unknown => ({ 'x-kubernetes-group-version-kind': { group: k.group, version: k.version, kind: k.kind }, parameters: [{ name: 'fieldValidation', in: 'query', schema: { type: 'string' } }], responses: {} });
  const schemaDoc = (kinds: readonly KubeKind[]): unknown => ({
    openapi: '3.0.0',
    info: { title: 'Kubernetes', version: 'v1.30.0' },
    paths: Object.fromEntries(
      kinds.flatMap((k) => {
        const base = `/${k.group ? `apis/${k.group}` : 'api'}/${k.version}/namespaces/{namespace}/${k.plural}`;
        return [
          [base, { post: operation(k) }],
          [`${base}/{name}`, { patch: operation(k), put: operation(k) }],
        ];
      }),
    ),
    components: {
      schemas: Object.fromEntries(
        kinds.map((k) => [
          `io.argots.test.${k.group || 'core'}.${k.version}.${k.kind}`,
          { type: 'object', 'x-kubernetes-preserve-unknown-fields': true, 'x-kubernetes-group-version-kind': [{ group: k.group, version: k.version, kind: k.kind }] },
        ]),
      ),
    },
  });

  const server: KubeApiServer = {
    url: '',
    requests,
    get: (plural, ns, name) => store.get(key(plural, ns, name)),
    update: (plural, ns, name, change) => {
      const o = store.get(key(plural, ns, name));
      if (!o) return;
      change(o);
      bump(o);
    },
    kubeconfig: (name) =>
      [
        'apiVersion: v1',
        'kind: Config',
        `clusters: [{name: ${name}, cluster: {server: "${server.url}"}}]`,
        `users: [{name: ${name}, user: {}}]`,
        `contexts: [{name: ${name}, context: {cluster: ${name}, user: ${name}, namespace: default}}]`,
        `current-context: ${name}`,
        '',
      ].join('\n'),
    close: () => new Promise((resolve) => http.close(() => resolve())),
  };

  const http = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const path = url.pathname.replace(/\/$/, '');
    const method = req.method ?? 'GET';
    requests.push(`${method} ${path}`);
    const text = await body(req);
    if (path === '/version') return json(res, 200, { major: '1', minor: '30', gitVersion: 'v1.30.0', platform: 'linux/amd64' });
    if (path === '/api') return json(res, 200, { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: url.host }] });
    if (path === '/apis') {
      return json(res, 200, {
        kind: 'APIGroupList',
        apiVersion: 'v1',
        groups: groups.map((g) => {
          const versions = [...new Set(options.kinds.filter((k) => k.group === g).map((k) => k.version))].map((v) => ({ groupVersion: `${g}/${v}`, version: v }));
          return { name: g, versions, preferredVersion: versions[0] };
        }),
      });
    }
    if (path === '/openapi/v3') {
      const gvs = [...new Set(options.kinds.map((k) => (k.group ? `apis/${k.group}/${k.version}` : `api/${k.version}`)))];
      return json(res, 200, { paths: Object.fromEntries(gvs.map((p) => [p, { serverRelativeURL: `/openapi/v3/${p}` }])) });
    }
    const openapi = /^\/openapi\/v3\/(?:api\/([^/]+)|apis\/([^/]+)\/([^/]+))$/.exec(path);
    if (openapi) {
      const [group, version] = openapi[1] ? ['', openapi[1]] : [openapi[2] ?? '', openapi[3] ?? ''];
      return json(res, 200, schemaDoc(options.kinds.filter((k) => k.group === group && k.version === version)));
    }
    const discovery = /^\/(?:api\/([^/]+)|apis\/([^/]+)\/([^/]+))$/.exec(path);
    if (discovery) {
      const [group, version] = discovery[1] ? ['', discovery[1]] : [discovery[2] ?? '', discovery[3] ?? ''];
      const kinds = options.kinds.filter((k) => k.group === group && k.version === version);
      if (kinds.length === 0) return status(res, 404, 'NotFound', `the server could not find the requested resource`);
      return json(res, 200, {
        kind: 'APIResourceList',
        apiVersion: 'v1',
        groupVersion: group ? `${group}/${version}` : version,
        resources: kinds.map((k) => ({ name: k.plural, singularName: k.kind.toLowerCase(), namespaced: true, kind: k.kind, verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'] })),
      });
    }
    const m = /^\/(?:api\/([^/]+)|apis\/([^/]+)\/([^/]+))\/namespaces\/([^/]+)\/([^/]+)(?:\/([^/]+))?$/.exec(path);
    if (!m) return status(res, 404, 'NotFound', 'the server could not find the requested resource');
    const [group, version] = m[1] ? ['', m[1]] : [m[2] ?? '', m[3] ?? ''];
    const ns = m[4] as string;
    const plural = m[5] as string;
    const name = m[6];
    const kind = options.kinds.find((k) => k.group === group && k.version === version && k.plural === plural);
    if (!kind) return status(res, 404, 'NotFound', 'the server could not find the requested resource');
    const resource = `${plural}${group ? `.${group}` : ''}`;
    if (name === undefined) {
      if (method === 'GET') return json(res, 200, { kind: `${kind.kind}List`, apiVersion: gv(kind), metadata: { resourceVersion: String(revision) }, items: [...store.entries()].filter(([k]) => k.startsWith(`${plural}/${ns}/`)).map(([, o]) => o) });
      if (method !== 'POST') return status(res, 405, 'MethodNotAllowed', `${method} is not allowed on a collection`);
      let obj: KubeObject;
      try {
        obj = JSON.parse(text) as KubeObject;
      } catch {
        return status(res, 400, 'BadRequest', 'the body is not JSON');
      }
      const objName = obj.metadata?.name ?? (typeof obj.metadata?.['generateName'] === 'string' ? `${obj.metadata['generateName']}${randomUUID().slice(0, 5)}` : undefined);
      if (!objName) return status(res, 422, 'Invalid', `${kind.kind} is invalid: metadata.name: Required value: name or generateName is required`);
      if (store.has(key(plural, ns, objName))) return status(res, 409, 'AlreadyExists', `${resource} "${objName}" already exists`);
      obj.metadata = { ...obj.metadata, name: objName, namespace: ns, uid: randomUUID(), creationTimestamp: new Date().toISOString().replace(/\.\d+Z$/, 'Z') };
      bump(obj);
      store.set(key(plural, ns, objName), obj);
      options.controllers?.[kind.kind]?.(obj, server);
      return json(res, 201, obj);
    }
    const k = key(plural, ns, name);
    const existing = store.get(k);
    if (!existing) return status(res, 404, 'NotFound', `${resource} "${name}" not found`);
    if (method === 'GET') return json(res, 200, existing);
    if (method === 'DELETE') {
      store.delete(k);
      return json(res, 200, existing);
    }
    let change: unknown;
    try {
      change = JSON.parse(text);
    } catch {
      return status(res, 400, 'BadRequest', 'the body is not JSON');
    }
    const next = (method === 'PUT' ? change : mergePatch(existing, change)) as KubeObject;
    next.metadata = { ...next.metadata, name, namespace: ns, uid: existing.metadata['uid'], creationTimestamp: existing.metadata['creationTimestamp'] };
    if (method !== 'PUT' && method !== 'PATCH') return status(res, 405, 'MethodNotAllowed', `${method} is not allowed`);
    bump(next);
    store.set(k, next);
    return json(res, 200, next);
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  (server as { url: string }).url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  return server;
}
