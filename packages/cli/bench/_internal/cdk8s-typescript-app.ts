import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Writes the competitor of compile.bench.ts the issue asks for: a cdk8s app authored in TypeScript, as
 * `cdk8s init typescript-app` lays it out (main.ts, tsconfig.json, ts-node), with one Chart class per file
 * building one of the objects argots emitted, and main.ts adding every chart to the App and calling synth().
 */
export function writeCdk8sTypeScriptApp(dir: string, objects: readonly Readonly<Record<string, unknown>>[]): void {
  mkdirSync(join(dir, 'charts'), { recursive: true });
  const names: string[] = [];
  objects.forEach((object, i) => {
    const name = `Chart${String(i).padStart(4, '0')}`;
    names.push(name);
    writeFileSync(
      join(dir, 'charts', `${name}.ts`),
      [
        "import { ApiObject, Chart } from 'cdk8s';",
        "import type { Construct } from 'constructs';",
        '',
        `export class ${name} extends Chart {`,
        '  constructor(scope: Construct, id: string) {',
        '    super(scope, id);',
        `    new ApiObject(this, 'o', ${JSON.stringify(object, null, 2).replace(/\n/g, '\n    ')} as never);`,
        '  }',
        '}',
        '',
      ].join('\n'),
    );
  });
  writeFileSync(
    join(dir, 'main.ts'),
    [
      "import { App } from 'cdk8s';",
      ...names.map((n) => `import { ${n} } from './charts/${n}';`),
      '',
      "const app = new App({ outdir: process.env['CDK8S_OUTDIR'] ?? 'dist' });",
      ...names.map((n) => `new ${n}(app, '${n.toLowerCase()}');`),
      'app.synth();',
      '',
    ].join('\n'),
  );
  // What `cdk8s init typescript-app` writes (CommonJS, strict), trimmed to what compiling needs.
  writeFileSync(
    join(dir, 'tsconfig.json'),
    JSON.stringify({ compilerOptions: { target: 'ES2020', module: 'commonjs', lib: ['es2020'], strict: true, esModuleInterop: true, skipLibCheck: true, outDir: 'compiled', rootDir: '.' }, include: ['main.ts', 'charts/*.ts'] }, null, 2),
  );
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ private: true, name: 'cdk8s-bench-app' }, null, 2));
}
