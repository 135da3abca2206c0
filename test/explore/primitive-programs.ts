/**
 * The programs of the differential soundness tests (DPOR against plain enumeration and against
 * the stateful search): the package's own `threadProgram` (src/props/thread-program.ts), over
 * every primitive, at two sizes. Each program draws on plain accesses and one or two other
 * primitives; thread lifecycles vary (timed joins, daemon threads, a nested start).
 */
import type fc from 'fast-check';
import { threadProgram } from '../../src/fast-check.js';

/**
 * Programs of 2–3 workers and 2–4 statements in all, main's included (small enough for the
 * stateful search, not always for plain enumeration).
 */
export const primitivePrograms: fc.Arbitrary<string> = threadProgram({
  threads: { min: 2, max: 3 },
  statements: { min: 1, max: 2 },
  mainStatements: { min: 0, max: 1 },
  totalStatements: { min: 2, max: 4 },
});

/** Programs of two workers of one statement each: small enough for plain enumeration. */
export const smallPrimitivePrograms: fc.Arbitrary<string> = threadProgram({
  threads: { min: 2, max: 2 },
  statements: { min: 1, max: 1 },
  mainStatements: { min: 0, max: 0 },
});
