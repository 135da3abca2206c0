/**
 * Peterson with its two writes swapped, over 100 fast-check seeds: in at least 95 of them the
 * failing schedule is found and shrinks to exactly the fewest preemptions that fail it (the
 * smallest preemption bound at which the exhaustive search fails). In the slow project: about
 * half a second per seed.
 */
import { expect, it } from 'vitest';
import { failureOf, fewestPreemptions, load } from './locks.js';

it('Peterson swapped: the shrunk witness has the fewest preemptions in at least 95 of 100 seeds', () => {
  const program = load('peterson_swapped.py');
  const fewest = fewestPreemptions(program);
  expect(fewest).toBe(2);
  let minimal = 0;
  for (let seed = 1; seed <= 100; seed++)
    if (failureOf(program, 2, seed)?.execution.preemptions === fewest) minimal++;
  expect(minimal).toBeGreaterThanOrEqual(95);
}, 300_000);
