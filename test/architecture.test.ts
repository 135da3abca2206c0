/**
 * The layers of the code, and a check that imports read top-down.
 *
 * FLOORS below is the one place the layering is declared. A file may import from its own
 * folder and from any lower floor; an import from a higher floor, or between two different
 * folders of one floor (siblings stay independent), fails, as does any import cycle. Type-only
 * imports count: a type ties a file to its floor as much as a value does.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');

/**
 * Floors from the bottom up; each holds folders (or single files), as paths from the repository
 * root. A file belongs to the first entry that is its path or a folder above it.
 */
const FLOORS: readonly (readonly string[])[] = [
  ['src/base'], // diagnostics and internal errors, which every layer reports with
  ['grammar'], // tokens, the chevrotain parser, the CST types
  ['src/lang'], // CST → typed AST
  ['src/compile'], // AST → micro-ops; the op table; the compiled program and its execution model
  ['src/semantics'], // Python's values, errors, builtins, calls: the core the VM and the hardware runtime share
  ['src/vm'], // the deterministic interpreter, its values and its analyses
  ['src/schedule'], // strategies, the run loop, the schedule codec, the seeded PRNG
  ['src/session'], // one execution owned whole: step, run until, checkpoints
  ['src/run'], // one execution run through: load, run, replay commands, lost-update traces
  ['src/explore'], // many executions: DPOR, the stateful search, random and PCT sampling
  ['src/check', 'src/hw'], // verdicts over explorations: `# expect:` lines; real threads against the model
  ['src/report'], // text and JSON, pure over the data of runs and explorations
  ['src/tui', 'src/props'], // the terminal UI of `interleave step`; fast-check over schedules
  ['src/cli'], // the command line
  ['src/index.ts', 'src/fast-check.ts'], // the public façades: the package's two entry points
];

/**
 * Cycles being removed by work in flight, each as its sorted files. The test fails when one is
 * gone (delete it here) as well as when a new one appears.
 */
const KNOWN_CYCLES: readonly (readonly string[])[] = [];

/** One relative import: who imports, from where (as written), on which line, resolved to a file. */
interface ImportEdge {
  from: string;
  specifier: string;
  line: number;
  to: string;
}

/** Every relative import of `files` (path from the root → source text) that resolves to one of them. */
function importEdges(files: ReadonlyMap<string, string>): ImportEdge[] {
  const edges: ImportEdge[] = [];
  for (const [from, text] of files) {
    for (const ref of ts.preProcessFile(text, true, true).importedFiles) {
      if (!ref.fileName.startsWith('.')) continue;
      const base = join(dirname(from), ref.fileName).replace(/\.js$/, '');
      const to = [`${base}.ts`, `${base}.tsx`, `${base}.d.ts`, join(base, 'index.ts')].find((f) =>
        files.has(f),
      );
      if (to === undefined) continue;
      const line = text.slice(0, ref.pos).split('\n').length;
      edges.push({ from, specifier: ref.fileName, line, to });
    }
  }
  return edges;
}

/** The floor entry (folder or file) a path belongs to, and its floor number; null when none. */
function unitOf(file: string, floors = FLOORS): { unit: string; floor: number } | null {
  for (const [floor, units] of floors.entries())
    for (const unit of units) if (file === unit || file.startsWith(`${unit}/`)) return { unit, floor };
  return null;
}

/** One line per import that goes up a floor or sideways between sibling folders. */
function layerViolations(edges: readonly ImportEdge[], floors = FLOORS): string[] {
  const out: string[] = [];
  for (const e of edges) {
    const a = unitOf(e.from, floors);
    const b = unitOf(e.to, floors);
    if (a === null || b === null || a.unit === b.unit || b.floor < a.floor) continue;
    const why =
      b.floor > a.floor
        ? `imports from a higher floor (${a.unit} is floor ${a.floor}, ${b.unit} floor ${b.floor})`
        : `imports from its sibling ${b.unit} on floor ${a.floor}`;
    out.push(`${e.from}:${e.line}: import '${e.specifier}' ${why}`);
  }
  return out;
}

/** Import cycles (strongly connected components of more than one file, or a file importing itself). */
function importCycles(files: Iterable<string>, edges: readonly ImportEdge[]): string[][] {
  const next = new Map<string, string[]>();
  for (const f of files) next.set(f, []);
  for (const e of edges) next.get(e.from)!.push(e.to);
  // Tarjan's algorithm, iterative over an explicit stack so deep graphs cannot overflow.
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  let counter = 0;
  for (const start of next.keys()) {
    if (index.has(start)) continue;
    const work: [string, number][] = [[start, 0]];
    while (work.length > 0) {
      const top = work[work.length - 1]!;
      const [v, i] = top;
      if (i === 0) {
        index.set(v, counter);
        low.set(v, counter++);
        stack.push(v);
        onStack.add(v);
      }
      const targets = next.get(v)!;
      if (i < targets.length) {
        top[1]++;
        const w = targets[i]!;
        if (!index.has(w)) work.push([w, 0]);
        else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent !== undefined) low.set(parent[0], Math.min(low.get(parent[0])!, low.get(v)!));
      if (low.get(v) !== index.get(v)) continue;
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1 || targets.includes(v)) cycles.push(component.sort());
    }
  }
  return cycles;
}

/** The TypeScript sources under `dirs`, by path from the root. */
function sources(dirs: readonly string[]): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (dir: string): void => {
    for (const entry of readdirSync(join(root, dir), { withFileTypes: true })) {
      const path = `${dir}/${entry.name}`;
      if (entry.isDirectory()) walk(path);
      else if (/\.tsx?$/.test(entry.name)) files.set(path, readFileSync(join(root, path), 'utf8'));
    }
  };
  for (const dir of dirs) walk(dir);
  return files;
}

describe('the layers of src/', () => {
  const files = sources(['src', 'grammar']);
  const edges = importEdges(files);

  it('places every source file on a floor', () => {
    expect([...files.keys()].filter((f) => unitOf(f) === null)).toEqual([]);
  });

  it('declares only floors that exist', () => {
    expect(FLOORS.flat().filter((unit) => !existsSync(resolve(root, unit)))).toEqual([]);
  });

  it('has no import from a higher floor or a sibling', () => {
    expect(layerViolations(edges)).toEqual([]);
  });

  it('has no import cycle (type imports included)', () => {
    expect(importCycles(files.keys(), edges)).toEqual(KNOWN_CYCLES);
  });

  it('reads the import graph: finds the imports of src/run/run.ts, type-only and multi-line ones too', () => {
    const of = edges.filter((e) => e.from === 'src/run/run.ts').map((e) => e.to);
    expect(of).toContain('src/compile/ops.ts'); // `import type`
    expect(of).toContain('src/schedule/strategies.ts'); // an import over several lines
  });
});

describe('the layer checks themselves', () => {
  // A planted graph: the checks must name the offending file, line and import.
  const planted = new Map([
    ['src/vm/a.ts', "import type { B } from '../report/b.js';\nexport const a = 1;\n"],
    ['src/report/b.ts', "import {\n  a,\n} from '../vm/a.js';\nexport type B = number;\n"],
    ['src/check/c.ts', "import { d } from '../hw/d.js';\n"],
    ['src/hw/d.ts', 'export const d = 1;\n'],
  ]);
  const edges = importEdges(planted);

  it('fails on an upward import, naming file, line and import', () => {
    expect(layerViolations(edges)).toEqual([
      "src/vm/a.ts:1: import '../report/b.js' imports from a higher floor (src/vm is floor 5, src/report floor 11)",
      "src/check/c.ts:1: import '../hw/d.js' imports from its sibling src/hw on floor 10",
    ]);
  });

  it('fails on a cycle made by a type-only import', () => {
    expect(importCycles(planted.keys(), edges)).toEqual([['src/report/b.ts', 'src/vm/a.ts']]);
  });

  it('finds a file that lies on no floor', () => {
    expect(unitOf('src/elsewhere/x.ts')).toBeNull();
  });
});
