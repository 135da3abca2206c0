/**
 * `interleave dis`: the listing of every code object, laid out like CPython's `dis`:
 *
 *   line  >> * offset  OPNAME               arg (argrepr)
 *
 * `>>` marks a jump target, `*` a visible op (a thread switch may happen before it).
 */
import { BUILTIN_NAMES, COMPARE_OPS, Op, OP_INFO, type CodeObject, type CompiledProgram } from './ops.js';

function argText(program: CompiledProgram, code: CodeObject, pc: number): [string, string] {
  const op = code.ops[pc] as Op;
  const arg = code.args[pc]!;
  const info = OP_INFO[op]!;
  const label = code.labels[pc] ?? '';
  switch (info.operand) {
    case 'none':
      return ['', label];
    case 'const':
      return [String(arg), label];
    case 'local':
      return [String(arg), code.localNames[arg] ?? label];
    case 'global':
      return [String(arg), program.globalNames[arg] ?? label];
    case 'builtin':
      return [String(arg), BUILTIN_NAMES[arg] ?? label];
    case 'name':
      return [String(arg), code.names[arg] ?? label];
    case 'jump':
      return [String(arg * 2), `to ${arg * 2}`];
    case 'compare':
      return [String(arg), COMPARE_OPS[arg] ?? ''];
    case 'method':
      return [String(arg & 0xff), label];
    case 'count':
      if (op === Op.IS) return [String(arg), arg === 0 ? 'is' : 'is not'];
      if (op === Op.CONTAINS) return [String(arg), arg === 0 ? 'in' : 'not in'];
      return [String(arg), label];
  }
}

/** One row of a listing: the op at `pc`, its source line, and the row as `dis` prints it (no line column). */
export interface DisRow {
  pc: number;
  line: number;
  /** `>> *    12 LOAD_GLOBAL            0 (counter)`: jump mark, visibility, offset, name, argument. */
  text: string;
  /** The same row, narrower: `>>*  12 LOAD counter` (the terminal UI's panes). */
  compact: string;
}

/** The rows of one code object's listing, one per op, in pc order. */
export function disassembleRows(program: CompiledProgram, code: CodeObject): DisRow[] {
  const targets = new Set<number>();
  for (let pc = 0; pc < code.ops.length; pc++) {
    if (OP_INFO[code.ops[pc]!]!.operand === 'jump') targets.add(code.args[pc]!);
  }
  for (const e of code.exceptionTable) targets.add(e.handler);
  const rows: DisRow[] = [];
  for (let pc = 0; pc < code.ops.length; pc++) {
    const info = OP_INFO[code.ops[pc]!]!;
    const jump = targets.has(pc) ? '>>' : '  ';
    const vis = info.visibility === 'always' ? '*' : ' ';
    const [arg, repr] = argText(program, code, pc);
    let row = `${jump} ${vis} ${String(pc * 2).padStart(5)} ${info.mnemonic.padEnd(20)}`;
    if (arg !== '' || repr !== '') row += ` ${arg.padStart(4)}`;
    if (repr !== '') row += ` (${repr})`;
    const compact = `${jump}${vis}${String(pc * 2).padStart(4)} ${info.mnemonic} ${repr !== '' ? repr : arg}`;
    rows.push({ pc, line: code.spans[pc * 4]!, text: row.trimEnd(), compact: compact.trimEnd() });
  }
  return rows;
}

/** Disassemble one code object. `title` heads the listing. */
export function disassembleCode(program: CompiledProgram, code: CodeObject, title: string): string {
  const out = [`Disassembly of ${title}:`];
  let lastLine = -1;
  for (const r of disassembleRows(program, code)) {
    const lineText = r.line !== lastLine ? String(r.line).padStart(4) : '    ';
    if (r.line !== lastLine && r.pc > 0) out.push('');
    lastLine = r.line;
    out.push(`${lineText}  ${r.text}`);
  }
  if (code.exceptionTable.length > 0) {
    out.push('ExceptionTable:');
    for (const e of code.exceptionTable) {
      out.push(`  ${e.start * 2} to ${e.end * 2} -> ${e.handler * 2} [${e.depth}]`);
    }
  }
  return out.join('\n');
}

/** The signature shown in a listing title: `increment(n)`, `<module>`. */
function title(code: CodeObject): string {
  if (code.name === '<module>') return '<module>';
  return `${code.name}(${code.localNames.slice(0, code.paramCount).join(', ')})`;
}

/**
 * The whole program's listing: the module body, then each function in definition order,
 * then a legend.
 */
export function disassemble(program: CompiledProgram): string {
  const parts = program.codes.map((c) => disassembleCode(program, c, title(c)));
  parts.push(
    '* visible operation: a thread switch may happen just before it, and only there.\n' +
      '  ADD, COMPARE, CALL, FOR_ITER and a few others are also visible when they read a list or a dict.',
  );
  return `${parts.join('\n\n')}\n`;
}
