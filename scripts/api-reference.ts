/**
 * The API reference, generated from the TSDoc of every public export (`packages/<pkg>/src/index.ts`) with
 * ts-morph: one Markdown page per package under docs/api/. `pnpm docs:api` writes them; the test
 * test/docs/api-reference.test.ts fails when a page is not what this script would write (a doc comment or a
 * signature changed without regenerating).
 *
 *   node --conditions=source --import tsx scripts/api-reference.ts [--check]
 */
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Node, Project, type ExportedDeclarations, type JSDocableNode } from 'ts-morph';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** The packages documented, in the order of the index page. */
export const PACKAGES = [
  { name: 'dsl', title: '@argots/dsl', blurb: 'Builders, triggers, synthesis, validation, lint and simulate.' },
  { name: 'contract', title: '@argots/contract', blurb: 'One definition per runtime command; environments; branch policy.' },
] as const;

const oneLine = (text: string) => text.replace(/\s+/g, ' ').trim();
const clip = (text: string, max = 300) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);
const fence = (code: string) => `\`\`\`ts\n${code.trim()}\n\`\`\``;

interface Doc {
  readonly description: string;
  readonly examples: readonly string[];
}

function docOf(node: Node): Doc {
  const target = Node.isVariableDeclaration(node) ? node.getVariableStatement() ?? node : node;
  const docs = (Node.isJSDocable(target) ? (target as unknown as JSDocableNode).getJsDocs() : []);
  const last = docs.at(-1);
  if (!last) return { description: '', examples: [] };
  const examples = last.getTags().filter((t) => t.getTagName() === 'example').map((t) => (t.getCommentText() ?? '').replace(/^```ts\n?|```$/gm, '').trim());
  return { description: (last.getDescription() ?? '').trim(), examples };
}

function kindOf(node: Node): string {
  if (Node.isFunctionDeclaration(node)) return 'function';
  if (Node.isClassDeclaration(node)) return 'class';
  if (Node.isInterfaceDeclaration(node)) return 'interface';
  if (Node.isTypeAliasDeclaration(node)) return 'type';
  if (Node.isVariableDeclaration(node)) return 'const';
  return node.getKindName();
}

/** A member's line: `name(params): Returns` — its first doc sentence. */
function memberLine(member: Node): string | undefined {
  let signature: string | undefined;
  if (Node.isMethodDeclaration(member) || Node.isMethodSignature(member)) {
    if (Node.isMethodDeclaration(member) && (member.hasModifier('private') || member.getName().startsWith('#'))) return undefined;
    signature = `${member.getName()}(${member.getParameters().map((p) => p.getText()).join(', ')})${member.getReturnTypeNode() ? `: ${member.getReturnTypeNode()!.getText()}` : ''}`;
  } else if (Node.isPropertySignature(member) || Node.isPropertyDeclaration(member)) {
    if (Node.isPropertyDeclaration(member) && (member.hasModifier('private') || member.getName().startsWith('#'))) return undefined;
    signature = `${member.getName()}${member.hasQuestionToken() ? '?' : ''}: ${member.getTypeNode()?.getText() ?? member.getType().getText(member)}`;
  } else if (Node.isPropertyAssignment(member) || Node.isShorthandPropertyAssignment(member)) {
    signature = member.getName();
  } else if (Node.isGetAccessorDeclaration(member)) {
    signature = `get ${member.getName()}()`;
  }
  if (!signature) return undefined;
  const d = docOf(member);
  const first = d.description.split(/\n\s*\n/)[0] ?? '';
  const examples = d.examples.map((e) => `\n\n  ${fence(e).split('\n').join('\n  ')}`).join('');
  return `- \`${clip(oneLine(signature), 220)}\`${first ? ` — ${oneLine(first)}` : ''}${examples}`;
}

function membersOf(node: Node): string[] {
  if (Node.isClassDeclaration(node) || Node.isInterfaceDeclaration(node)) {
    return node.getMembers().map(memberLine).filter((l): l is string => l !== undefined);
  }
  if (Node.isVariableDeclaration(node)) {
    let init: Node | undefined = node.getInitializer();
    while (init && (Node.isAsExpression(init) || Node.isCallExpression(init) || Node.isSatisfiesExpression(init))) {
      init = Node.isCallExpression(init) ? init.getArguments()[0] : init.getExpression();
    }
    if (init && Node.isObjectLiteralExpression(init)) return init.getProperties().map(memberLine).filter((l): l is string => l !== undefined);
  }
  return [];
}

function signatureOf(node: Node): string {
  if (Node.isFunctionDeclaration(node)) {
    const overloads = node.getOverloads();
    const list = overloads.length > 0 ? overloads : [node];
    return list.map((f) => `function ${f.getName() ?? ''}${f.getTypeParameters().length ? `<${f.getTypeParameters().map((t) => t.getText()).join(', ')}>` : ''}(${f.getParameters().map((p) => p.getText()).join(', ')}): ${f.getReturnTypeNode()?.getText() ?? f.getReturnType().getText(f)}`).join('\n');
  }
  if (Node.isTypeAliasDeclaration(node)) return clip(`type ${node.getName()}${node.getTypeParameters().length ? `<${node.getTypeParameters().map((t) => t.getText()).join(', ')}>` : ''} = ${node.getTypeNode()?.getText() ?? ''}`, 600);
  if (Node.isInterfaceDeclaration(node)) return `interface ${node.getName()}${node.getTypeParameters().length ? `<${node.getTypeParameters().map((t) => t.getText()).join(', ')}>` : ''}${node.getExtends().length ? ` extends ${node.getExtends().map((e) => e.getText()).join(', ')}` : ''}`;
  if (Node.isClassDeclaration(node)) return `class ${node.getName() ?? ''}${node.getTypeParameters().length ? `<${node.getTypeParameters().map((t) => t.getText()).join(', ')}>` : ''}${node.getExtends() ? ` extends ${node.getExtends()!.getText()}` : ''}`;
  if (Node.isVariableDeclaration(node)) {
    const typeNode = node.getTypeNode();
    return `const ${node.getName()}${typeNode ? `: ${clip(oneLine(typeNode.getText()), 300)}` : ''}`;
  }
  return oneLine(node.getText()).slice(0, 200);
}

function section(name: string, declarations: readonly ExportedDeclarations[], file: string): string {
  const node = declarations[0] as Node;
  const d = docOf(node);
  const parts = [`### \`${name}\``, '', `*${kindOf(node)}* · [${file}](../../${file})`, '', fence(signatureOf(node))];
  if (d.description) parts.push('', d.description);
  const members = membersOf(node);
  if (members.length > 0) parts.push('', ...members);
  for (const example of d.examples) parts.push('', 'Example:', '', fence(example));
  return parts.join('\n');
}

/** The Markdown of one package's page. */
export function renderPackage(project: Project, pkg: (typeof PACKAGES)[number]): string {
  const index = project.addSourceFileAtPath(join(root, 'packages', pkg.name, 'src', 'index.ts'));
  const exported = [...index.getExportedDeclarations()].filter(([, ds]) => ds.length > 0).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const lines = [
    `# ${pkg.title} API reference`,
    '',
    `<!-- Generated by scripts/api-reference.ts from the TSDoc of packages/${pkg.name}/src; run \`pnpm docs:api\` after changing a doc comment or a public signature. Do not edit by hand. -->`,
    '',
    pkg.blurb,
    '',
    `${exported.length} exports, in alphabetical order:`,
    '',
    exported.map(([name]) => `[\`${name}\`](#${name.toLowerCase()})`).join(' · '),
    '',
  ];
  for (const [name, ds] of exported) {
    const file = (ds[0] as Node).getSourceFile().getFilePath().slice(root.length + 1);
    lines.push(section(name, ds, file), '');
  }
  return `${lines.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd()}\n`;
}

/** Every page: path (relative to the repository) → content. */
export function renderAll(): Map<string, string> {
  const project = new Project({ tsConfigFilePath: join(root, 'tsconfig.json'), skipAddingFilesFromTsConfig: true, skipFileDependencyResolution: true });
  const pages = new Map<string, string>();
  for (const pkg of PACKAGES) pages.set(`docs/api/${pkg.name}.md`, renderPackage(project, pkg));
  return pages;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const check = process.argv.includes('--check');
  let stale = 0;
  for (const [path, content] of renderAll()) {
    const target = join(root, path);
    let current: string | undefined;
    try {
      current = readFileSync(target, 'utf8');
    } catch {
      current = undefined;
    }
    if (current === content) continue;
    if (check) {
      stale += 1;
      process.stderr.write(`✖ ${path} is not up to date: run 'pnpm docs:api'\n`);
    } else {
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, content);
      process.stdout.write(`wrote ${path}\n`);
    }
  }
  process.exitCode = stale > 0 ? 1 : 0;
}
