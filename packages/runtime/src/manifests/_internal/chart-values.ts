/**
 * The default values a Helm chart sees: its values.yaml with each vendored subchart's under the subchart's
 * name (or its alias in Chart.yaml's `dependencies`), subcharts read from folders under `charts/` and from the
 * packaged archives `charts/*.tgz` that `helm dependency build` leaves (nested ones too), as helm reads them.
 *
 * ```ts
 * chartValues('/work/gitops/charts/blog', 'charts/blog'); // { wordpress: { image: { registry: 'docker.io', … } }, … }
 * ```
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { RuntimeError } from '../../runtime-error.js';
import { readTarGz } from './tar-gz.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The first YAML document of a text as a value; `{}` when absent or unreadable (helm would report it when rendering). */
export function parseYamlValues(text: string | undefined): unknown {
  if (text === undefined) return {};
  try {
    return parseAllDocuments(text)[0]?.toJS() ?? {};
  } catch {
    return {};
  }
}

/** Deep-merges `from` into `into` (maps merged, everything else replaced), as helm layers values. */
export function mergeValues(into: Obj, from: unknown): Obj {
  if (!isObj(from)) return into;
  for (const [k, v] of Object.entries(from)) {
    const cur = into[k];
    into[k] = isObj(cur) && isObj(v) ? mergeValues({ ...cur }, v) : isObj(v) ? mergeValues({}, v) : v;
  }
  return into;
}

/** A chart's files, in a folder or in an archive. */
interface ChartSource {
  /** Where it is, for messages (`charts/blog/charts/wordpress-24.1.0.tgz`). */
  readonly where: string;
  read(file: string): string | undefined;
  subcharts(): ChartSource[];
}

function folderChart(dir: string, where: string): ChartSource {
  return {
    where,
    read: (file) => (existsSync(join(dir, file)) ? readFileSync(join(dir, file), 'utf8') : undefined),
    subcharts: () => {
      const charts = join(dir, 'charts');
      if (!existsSync(charts)) return [];
      const out: ChartSource[] = [];
      for (const name of readdirSync(charts).sort()) {
        const sub = join(charts, name);
        const subWhere = `${where}/charts/${name}`;
        if (statSync(sub).isDirectory()) {
          if (existsSync(join(sub, 'Chart.yaml'))) out.push(folderChart(sub, subWhere));
        } else if (name.endsWith('.tgz')) {
          out.push(archiveChart(readFileSync(sub), subWhere));
        }
      }
      return out;
    },
  };
}

/** The chart in an archive: its files under one top folder (`wordpress/Chart.yaml`), as `helm package` writes them. */
function archiveChart(bytes: Buffer, where: string): ChartSource {
  let files: Map<string, Buffer>;
  try {
    files = readTarGz(bytes);
  } catch (error) {
    throw new RuntimeError('RUN775', `subchart archive "${where}" cannot be read: ${(error as Error).message}`, {
      hint: 'charts/*.tgz must be packaged charts (gzip-compressed tar, as `helm package` or `helm dependency build` writes them); rebuild it with `helm dependency build`',
    });
  }
  const top = [...files.keys()].find((p) => /^[^/]+\/Chart\.yaml$/.test(p))?.split('/')[0];
  if (top === undefined) {
    throw new RuntimeError('RUN775', `subchart archive "${where}" holds no chart: expected <name>/Chart.yaml at its top, received ${files.size} file(s) without one`, {
      hint: 'rebuild it with `helm dependency build`',
    });
  }
  return subtree(files, `${top}/`, where);
}

function subtree(files: Map<string, Buffer>, prefix: string, where: string): ChartSource {
  return {
    where,
    read: (file) => files.get(prefix + file)?.toString('utf8'),
    subcharts: () => {
      const charts = `${prefix}charts/`;
      const names = new Set<string>();
      for (const p of files.keys()) if (p.startsWith(charts)) names.add(p.slice(charts.length).split('/')[0] ?? '');
      const out: ChartSource[] = [];
      for (const name of [...names].sort()) {
        const subWhere = `${where}:charts/${name}`;
        const archive = files.get(charts + name);
        if (files.has(`${charts}${name}/Chart.yaml`)) out.push(subtree(files, `${charts}${name}/`, subWhere));
        else if (archive !== undefined && name.endsWith('.tgz')) out.push(archiveChart(archive, subWhere));
      }
      return out;
    },
  };
}

function valuesOf(chart: ChartSource): Obj {
  const own = parseYamlValues(chart.read('values.yaml'));
  const meta = parseYamlValues(chart.read('Chart.yaml'));
  const deps = isObj(meta) && Array.isArray(meta['dependencies']) ? meta['dependencies'].filter(isObj) : [];
  const values: Obj = {};
  for (const sub of chart.subcharts()) {
    const subMeta = parseYamlValues(sub.read('Chart.yaml'));
    const fallback = sub.where.split(/[/:]/).pop() ?? '';
    const chartName = isObj(subMeta) && typeof subMeta['name'] === 'string' ? subMeta['name'] : fallback;
    const dep = deps.find((d) => d['name'] === chartName);
    const key = typeof dep?.['alias'] === 'string' ? dep['alias'] : chartName;
    values[key] = valuesOf(sub);
  }
  return mergeValues(values, own);
}

/** The values of the chart in folder `dir`; `where` names it in messages (the path in the GitOps repository). */
export function chartValues(dir: string, where: string): Obj {
  return valuesOf(folderChart(dir, where));
}
