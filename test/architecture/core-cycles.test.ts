// No import cycle between the folders of src/core. import-x/no-cycle would not do: it ignores type-only
// imports (which tie two folders together as surely) and sees only file-level cycles. So this builds the
// folder-level graph itself from every import, `export … from` and import() with a relative specifier,
// type-only ones included, and looks for strongly connected components (Tarjan). A file directly in
// src/core is a node of its own, named by its file name.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const projectRoot = path.resolve(import.meta.dirname, '../..');
const SOURCE = /\.(ts|tsx|mts|cts)$/;
const RESOLVE_EXTENSIONS = ['.ts', '.tsx', '.d.ts', '.mts', '.cts', '.js'];

/** One import statement that makes a link between two nodes, for the report. */
type FileEdge = { file: string; line: number; specifier: string };

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return SOURCE.test(entry.name) ? [full] : [];
  });
}

/** The node of a path inside src/core: its folder directly under src/core, or its own file name. */
function nodeOf(coreDir: string, target: string): string | undefined {
  const relative = path.relative(coreDir, target);
  if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative)) return undefined;
  const [first, ...rest] = relative.split(path.sep);
  if (first === undefined) return undefined;
  if (rest.length > 0) return first;
  // A file directly in src/core, or a folder imported by its bare name ('./auth').
  if (fs.existsSync(target) && fs.statSync(target).isDirectory()) return first;
  if (SOURCE.test(first) && fs.existsSync(target)) return first;
  const file = RESOLVE_EXTENSIONS.map((extension) => first + extension).find((name) =>
    fs.existsSync(path.join(coreDir, name)),
  );
  return file ?? first;
}

function buildGraph(root: string) {
  const coreDir = path.join(root, 'src/core');
  const links = new Map<string, Map<string, FileEdge>>();
  const nodes = new Set<string>();
  const files = sourceFiles(coreDir);
  for (const file of files) {
    const from = nodeOf(coreDir, file);
    if (from === undefined) continue;
    nodes.add(from);
    const text = fs.readFileSync(file, 'utf8');
    // preProcessFile reads import/export declarations (type-only included), import() and import('…')
    // types, and skips comments and strings.
    for (const imported of ts.preProcessFile(text, true, true).importedFiles) {
      const specifier = imported.fileName;
      if (!specifier.startsWith('.')) continue;
      const to = nodeOf(coreDir, path.resolve(path.dirname(file), specifier));
      if (to === undefined || to === from) continue;
      nodes.add(to);
      const out = links.get(from) ?? new Map<string, FileEdge>();
      links.set(from, out);
      if (!out.has(to)) {
        const line = text.slice(0, imported.pos).split('\n').length;
        out.set(to, { file: path.relative(root, file), line, specifier });
      }
    }
  }
  return { files, nodes, links };
}

/** Tarjan's strongly connected components. */
function stronglyConnected(nodes: Set<string>, links: Map<string, Map<string, FileEdge>>): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  const visit = (v: string) => {
    index.set(v, counter);
    low.set(v, counter);
    counter++;
    stack.push(v);
    onStack.add(v);
    for (const w of links.get(v)?.keys() ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v)!, index.get(w)!));
      }
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      components.push(component.sort());
    }
  };
  for (const v of [...nodes].sort()) if (!index.has(v)) visit(v);
  return components;
}

/** A shortest cycle through `start` inside `component` (breadth-first). */
function shortestCycle(start: string, component: Set<string>, links: Map<string, Map<string, FileEdge>>) {
  const previous = new Map<string, string>();
  const queue = [start];
  while (queue.length > 0) {
    const v = queue.shift()!;
    for (const w of links.get(v)?.keys() ?? []) {
      if (!component.has(w)) continue;
      if (w === start) {
        const cycle = [v];
        while (cycle[0] !== start) cycle.unshift(previous.get(cycle[0]!)!);
        return [...cycle, start];
      }
      if (!previous.has(w)) {
        previous.set(w, v);
        queue.push(w);
      }
    }
  }
  return [start];
}

function describeCycles(components: string[][], links: Map<string, Map<string, FileEdge>>): string {
  const link = (a: string, b: string) => {
    const edge = links.get(a)!.get(b)!;
    return `    ${a} → ${b}   ${edge.file}:${edge.line}  '${edge.specifier}'`;
  };
  return components
    .map((component) => {
      const members = new Set(component);
      const cycle = shortestCycle(component[0]!, members, links);
      const inside = component.flatMap((a) =>
        [...(links.get(a)?.keys() ?? [])].filter((b) => members.has(b)).map((b) => link(a, b)),
      );
      return [
        `cycle of ${component.length} folders: ${component.join(', ')}`,
        `  shortest loop: ${cycle.join(' → ')}`,
        ...cycle.slice(1).map((b, i) => link(cycle[i]!, b)),
        `  every link inside it (break enough of these that no loop is left):`,
        ...inside,
      ].join('\n');
    })
    .join('\n\n');
}

describe('the folders of src/core', () => {
  const { files, nodes, links } = buildGraph(projectRoot);

  it('are read: the graph is the whole of src/core', () => {
    const linkCount = [...links.values()].reduce((sum, out) => sum + out.size, 0);
    expect(files.length).toBeGreaterThan(100);
    expect(nodes.size).toBeGreaterThanOrEqual(20);
    expect(linkCount).toBeGreaterThanOrEqual(20);
  });

  it('import each other in no cycle (type-only imports count)', () => {
    const cycles = stronglyConnected(nodes, links).filter((component) => component.length > 1);
    expect(cycles, `\n${describeCycles(cycles, links)}\n`).toEqual([]);
  });
});

describe('the cycle check', () => {
  it('finds a cycle closed by a type-only import, a re-export or a top-level file, and names the lines', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'custodia-core-cycles-'));
    try {
      const write = (file: string, text: string) => {
        fs.mkdirSync(path.dirname(path.join(root, 'src/core', file)), { recursive: true });
        fs.writeFileSync(path.join(root, 'src/core', file), text);
      };
      write('a/index.ts', "export * from './inner';\n");
      write(
        'a/inner.ts',
        "// import { x } from '../c/c' is only a comment\nimport type { B } from '../b/deep/b';\n",
      );
      write('b/deep/b.ts', "export type B = 1;\nexport { a } from '../../a';\n");
      write('c/c.ts', "export const c = () => import('../app');\n");
      write('app.ts', "import { c } from './c/c';\nimport { a } from './a';\n");
      write('d/d.ts', "import { a } from '../a/inner';\n");

      const { nodes, links } = buildGraph(root);
      expect([...nodes].sort()).toEqual(['a', 'app.ts', 'b', 'c', 'd']);
      const cycles = stronglyConnected(nodes, links).filter((component) => component.length > 1);
      expect(cycles.sort()).toEqual([
        ['a', 'b'],
        ['app.ts', 'c'],
      ]);
      const report = describeCycles(cycles, links);
      expect(report).toContain("a → b   src/core/a/inner.ts:2  '../b/deep/b'");
      expect(report).toContain("b → a   src/core/b/deep/b.ts:2  '../../a'");
      expect(report).toContain("c → app.ts   src/core/c/c.ts:1  '../app'");
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
