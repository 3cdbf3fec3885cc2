import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

/**
 * The layering of docs/architecture.md, bottom to top. A module may import from its own layer or a lower one;
 * the side-by-side parts of one layer (conversation, escalation, analytics) share only types; notices composes them.
 */
const LAYERS: ReadonlyArray<{ name: string; parts: string[] }> = [
  { name: 'base', parts: ['config.ts', 'context.ts', 'text.ts', 'timeout.ts', 'concurrency.ts', 'adaptive-card.ts', 'secrets.ts'] },
  { name: 'infrastructure', parts: ['logger.ts', 'store', 'privacy'] },
  { name: 'knowledge', parts: ['knowledge'] },
  { name: 'features', parts: ['conversation', 'escalation', 'analytics'] },
  { name: 'notices', parts: ['notices'] },
  { name: 'web', parts: ['web'] },
  { name: 'wiring', parts: ['app.ts', 'app-wiring.ts'] },
  { name: 'main', parts: ['index.ts'] },
];

const BOT = path.resolve('bot');

/** The top-level part of bot/ a file belongs to: its folder, or the file itself at the top. */
function partOf(file: string): string {
  return path.relative(BOT, file).split(path.sep)[0];
}

export function layerOf(part: string): number {
  const index = LAYERS.findIndex((l) => l.parts.includes(part));
  if (index < 0) throw new Error(`bot/${part} is in no layer: add it to LAYERS and docs/architecture.md`);
  return index;
}

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(full);
    return e.name.endsWith('.ts') ? [full] : [];
  });
}

interface Import {
  target: string;
  typeOnly: boolean;
}

/** Relative imports and re-exports of a file, resolved to .ts paths, with whether they bring in types only. */
function importsOf(file: string): Import[] {
  const source = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, false);
  const found: Import[] = [];
  const add = (specifier: ts.Expression | undefined, typeOnly: boolean): void => {
    if (!specifier || !ts.isStringLiteral(specifier) || !specifier.text.startsWith('.')) return;
    found.push({ target: path.resolve(path.dirname(file), specifier.text.replace(/\.js$/, '.ts')), typeOnly });
  };
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node)) {
      const clause = node.importClause;
      const namedTypeOnly =
        clause?.namedBindings && ts.isNamedImports(clause.namedBindings) && !clause.name &&
        clause.namedBindings.elements.length > 0 && clause.namedBindings.elements.every((e) => e.isTypeOnly);
      add(node.moduleSpecifier, Boolean(clause?.isTypeOnly || namedTypeOnly));
    } else if (ts.isExportDeclaration(node)) {
      add(node.moduleSpecifier, node.isTypeOnly);
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      add(node.arguments[0], false);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** Every import that breaks the layering, as "from -> to (why)". */
export function layerViolations(): string[] {
  const problems: string[] = [];
  for (const file of sourceFiles(BOT)) {
    const fromPart = partOf(file);
    const from = layerOf(fromPart);
    for (const { target, typeOnly } of importsOf(file)) {
      if (!target.startsWith(BOT + path.sep)) continue;
      const toPart = partOf(target);
      if (toPart === fromPart) continue;
      const to = layerOf(toPart);
      const shown = `${path.relative(BOT, file)} -> ${path.relative(BOT, target)}`;
      // context.ts is the one exception: the AppContext type names the handles it carries (type-only, erased at run time).
      if (to > from && typeOnly && fromPart === 'context.ts') continue;
      if (to > from) problems.push(`${shown} (imports upward: ${LAYERS[from].name} -> ${LAYERS[to].name})`);
      else if (to === from && !typeOnly && LAYERS[from].parts.length > 1 && LAYERS[from].name === 'features') {
        problems.push(`${shown} (side-by-side parts share types only)`);
      }
    }
  }
  return problems;
}

/** The top-level parts of bot/ that exist. */
export function layerParts(): string[] {
  return [...new Set(sourceFiles(BOT).map(partOf))];
}

/** All .ts files under a directory (exported for the coverage map). */
export function tsFiles(dir: string): string[] {
  return fs.existsSync(dir) ? sourceFiles(dir) : [];
}

/** Relative imports of a file resolved to .ts paths (exported for the coverage map). */
export function relativeImports(file: string): string[] {
  return importsOf(file).map((i) => i.target).filter((t) => fs.existsSync(t));
}
