/**
 * Builds one CodeObject: appends ops with their spans and dis labels, resolves jump labels,
 * tracks the static stack depth, and records exception regions (which may be split into
 * several pc ranges when `break`/`return` cleanup code runs outside them).
 */
import type { Span } from '../lang/ast.js';
import { InternalError } from '../base/diagnostics.js';
import { Op, OP_INFO, stackEffect, type CodeObject, type ConstValue, type ExceptionEntry } from './ops.js';

export interface Label {
  pc: number;
  /** Stack depth on arrival, once known. */
  depth: number;
  /** Instruction indexes whose operand must be patched with this label's pc. */
  patches: number[];
}

/** An exception region under construction. */
export interface Region {
  handler: Label;
  /** Stack depth to restore before pushing the exception. */
  depth: number;
  /** Start pc of the open range, or -1 while suspended. */
  openAt: number;
  /** How many regions enclose it in the source: the innermost region wins a lookup. */
  level: number;
}

export class Emitter {
  private readonly ops: number[] = [];
  private readonly args: number[] = [];
  private readonly spans: number[] = [];
  private readonly labels: string[] = [];
  private readonly depths: number[] = [];
  private readonly consts: ConstValue[] = [];
  private readonly constIndex = new Map<string, number>();
  private readonly names: string[] = [];
  private readonly table: ExceptionEntry[] = [];
  private readonly allLabels: Label[] = [];
  /** Current static stack depth; -1 after a terminator until a live label is bound. */
  depth = 0;
  private maxDepth = 0;

  constructor(
    readonly name: string,
    readonly localNames: string[],
    readonly paramCount: number,
    readonly firstLine: number,
  ) {}

  get pc(): number {
    return this.ops.length;
  }

  /** Allocate a hidden local slot (name starts with '.'). */
  hiddenLocal(name: string): number {
    this.localNames.push(`.${name}`);
    return this.localNames.length - 1;
  }

  constant(value: ConstValue): number {
    const key = JSON.stringify(value) + typeof value;
    const found = this.constIndex.get(key);
    if (found !== undefined) return found;
    this.consts.push(value);
    this.constIndex.set(key, this.consts.length - 1);
    return this.consts.length - 1;
  }

  nameIndex(name: string): number {
    const i = this.names.indexOf(name);
    if (i >= 0) return i;
    this.names.push(name);
    return this.names.length - 1;
  }

  /** Append an op; code that cannot be reached (after a terminator, before a live label) is dropped. */
  emit(op: Op, arg: number, span: Span, label = ''): number {
    if (this.depth < 0) return -1;
    const pc = this.ops.length;
    this.ops.push(op);
    this.args.push(arg);
    this.spans.push(span.line, span.col, span.endLine, span.endCol);
    this.labels.push(label);
    this.depths.push(this.depth);
    this.depth += stackEffect(op, arg);
    if (this.depth < 0)
      throw new InternalError(
        `stack underflow compiling ${this.name} at pc ${pc} (${OP_INFO[op]!.mnemonic})`,
      );
    this.maxDepth = Math.max(this.maxDepth, this.depth);
    if (!OP_INFO[op]!.fallsThrough) this.depth = -1;
    return pc;
  }

  newLabel(): Label {
    const label: Label = { pc: -1, depth: -1, patches: [] };
    this.allLabels.push(label);
    return label;
  }

  /**
   * Emit a jump-like op to `label`. `depthAtTarget` is the stack depth when the jump is taken
   * (for FOR_ITER/FOR_RANGE/JUMP_IF_*_OR_POP it differs from the fall-through depth).
   */
  emitJump(op: Op, label: Label, span: Span, depthAtTarget?: number): number {
    if (this.depth < 0) return -1;
    const before = this.depth;
    const pc = this.emit(op, -1, span);
    let target: number;
    if (depthAtTarget !== undefined) target = depthAtTarget;
    else if (op === Op.JUMP) target = before;
    else if (op === Op.JUMP_IF_FALSE_OR_POP || op === Op.JUMP_IF_TRUE_OR_POP) target = before;
    else if (op === Op.FOR_ITER) target = before - 1;
    else if (op === Op.FOR_RANGE) target = before - 3;
    else target = before - 1; // POP_JUMP_IF_*
    this.noteDepth(label, target);
    label.patches.push(pc);
    return pc;
  }

  private noteDepth(label: Label, depth: number): void {
    if (label.depth >= 0 && label.depth !== depth) {
      throw new InternalError(
        `inconsistent stack depth at a label in ${this.name}: ${label.depth} vs ${depth}`,
      );
    }
    label.depth = depth;
  }

  /** Place `label` here. Falling into it must agree with jumps to it. */
  bind(label: Label): void {
    label.pc = this.pc;
    if (this.depth >= 0) this.noteDepth(label, this.depth);
    else this.depth = label.depth; // -1 when nothing jumps here: the code stays unreachable
  }

  /** Whether the next op could run (false after a return, raise, break or continue). */
  get reachable(): boolean {
    return this.depth >= 0;
  }

  /** Declare the stack depth at a label reached only by the exception machinery. */
  bindHandler(label: Label, depth: number): void {
    label.pc = this.pc;
    label.depth = depth;
    this.depth = depth;
    this.maxDepth = Math.max(this.maxDepth, depth);
  }

  openRegion(handler: Label): Region {
    return { handler, depth: Math.max(0, this.depth), openAt: this.pc, level: this.openRegions++ };
  }

  /** Close the open range of `region` at the current pc (ranges are appended innermost first). */
  suspendRegion(region: Region): void {
    if (region.openAt >= 0 && region.openAt < this.pc) {
      this.table.push({ start: region.openAt, end: this.pc, handler: -1, depth: region.depth });
      this.regionOfEntry.set(this.table.length - 1, region);
    }
    region.openAt = -1;
  }

  resumeRegion(region: Region): void {
    region.openAt = this.pc;
  }

  closeRegion(region: Region): void {
    this.suspendRegion(region);
    this.openRegions--;
  }

  /** Regions opened and not yet closed (the nesting of the next one opened). */
  private openRegions = 0;

  private readonly regionOfEntry = new Map<number, Region>();

  finish(): CodeObject {
    for (const label of this.allLabels) {
      if (label.patches.length > 0 && label.pc < 0) throw new InternalError(`unbound label in ${this.name}`);
      for (const at of label.patches) this.args[at] = label.pc;
    }
    for (const [i, region] of this.regionOfEntry) {
      if (region.handler.pc < 0) throw new InternalError(`unbound handler in ${this.name}`);
      this.table[i]!.handler = region.handler.pc;
    }
    // A range of an outer region can be closed before a range of an inner one (cleanup code of
    // a `return` inside both): order by nesting, innermost first, so lookups take the first match.
    const level = new Map<ExceptionEntry, number>();
    for (const [i, region] of this.regionOfEntry) level.set(this.table[i]!, region.level);
    this.table.sort((a, b) => level.get(b)! - level.get(a)!);
    return {
      name: this.name,
      ops: Uint8Array.from(this.ops),
      args: Int32Array.from(this.args),
      spans: Int32Array.from(this.spans),
      labels: this.labels,
      consts: this.consts,
      names: this.names,
      localNames: this.localNames,
      paramCount: this.paramCount,
      exceptionTable: this.table,
      maxStack: this.maxDepth + 1,
      depths: Int16Array.from(this.depths),
      firstLine: this.firstLine,
    };
  }
}
