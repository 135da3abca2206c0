/**
 * The builtins whose effect belongs to the engine running the program: print, time.sleep,
 * random.randint and random.choice. Their argument rules and results are Python's and live
 * here; what they do to the world (write output, pass time, pick an option) is the engine's,
 * through `Effects`. The simulator picks options through its scheduler's chooser and sleeps in
 * no time; the hardware runtime posts output to its controller, sleeps on a futex and draws
 * from a seeded generator.
 */
import { choiceSequence, printed, randintBounds, sleepSeconds } from './calls.js';
import type { Args } from './builtins.js';
import { length } from './builtins.js';
import { getItem } from './containers.js';
import { raise } from './exceptions.js';
import type { Value } from './values.js';

/** What an engine does for the effectful builtins. */
export interface Effects {
  /** Write `text` (the whole of one print call) to `stream`. */
  write(stream: 'stdout' | 'stderr', text: string): void;
  /** Pass `seconds` (≥ 0) of the thread's time. */
  sleep(seconds: number): void;
  /** One of `n` options (1 ≤ n ≤ 2^31), as an index in [0, n). */
  choose(n: number): number;
  /** The call reads all of `v` (a list or dict printed or chosen from): the simulator notes it. */
  reads(v: Value): void;
}

/** Most options a random call may choose among (the simulator's schedules hold 32-bit choices). */
const MAX_OPTIONS = 2 ** 31;

/** `choose(n)` of `fx`, checked: OverflowError beyond MAX_OPTIONS; an engine's bad index is an internal error. */
function chooseAmong(fx: Effects, n: number): number {
  if (n > MAX_OPTIONS) raise('OverflowError', 'random range too large for the simulator');
  const i = fx.choose(n);
  if (!Number.isInteger(i) || i < 0 || i >= n)
    throw new Error(`internal error: chooser returned ${i} for ${n} options`);
  return i;
}

/** `print(*a)`: None. */
export function print(a: Args, fx: Effects): Value {
  const { stream, text } = printed(a);
  for (const v of a.pos) fx.reads(v);
  fx.write(stream, text);
  return null;
}

/** `time.sleep(s)`: None. */
export function sleep(a: Args, fx: Effects): Value {
  fx.sleep(sleepSeconds(a));
  return null;
}

/** `random.randint(a, b)`: an int in [a, b]. */
export function randint(a: Args, fx: Effects): Value {
  const [lo, hi] = randintBounds(a);
  return lo + chooseAmong(fx, hi - lo + 1);
}

/** `random.choice(seq)`: one item; IndexError on an empty sequence. */
export function choice(a: Args, fx: Effects): Value {
  const seq = choiceSequence(a);
  fx.reads(seq);
  const n = length(seq);
  if (n === 0) raise('IndexError', 'Cannot choose from an empty sequence');
  return getItem(seq, chooseAmong(fx, n));
}
