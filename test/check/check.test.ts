import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkProgram } from '../../src/check/check.js';
import { parseExpectations } from '../../src/check/expectations.js';
import { runProgram } from '../../src/run/run.js';
import { compile, py } from '../helpers.js';

const root = join(import.meta.dirname, '..', '..');

/** Sizes at which the lesson's full-size programs can be checked completely. */
const SMALL: Record<string, [string, string][]> = {
  'counter_lock.py': [
    ['NTHREADS', '2'],
    ['ITERATIONS', '2'],
  ],
};

function checkFile(path: string, sets: [string, string][] = []) {
  const source = readFileSync(path, 'utf8');
  const { expectations, errors } = parseExpectations(source);
  expect(errors).toEqual([]);
  return checkProgram(compile(source, sets, path), expectations);
}

describe('interleave check', () => {
  for (const name of readdirSync(join(root, 'programs')).filter((f) => f.endsWith('.py'))) {
    it(`holds every expectation of programs/${name}`, () => {
      const result = checkFile(join(root, 'programs', name), SMALL[name]);
      expect(
        result.lines
          .map((l) => `${l.expectation.line} ${l.verdict} ${l.detail}`)
          .filter((l) => !l.includes(' holds')),
      ).toEqual([]);
      expect(result.lines.length).toBeGreaterThan(0);
    });
  }

  const cases = join(root, 'test', 'cases');
  describe('the acceptance cases of test/cases', () => {
    for (const name of readdirSync(cases).filter((f) => f.endsWith('.py'))) {
      it(`holds every expectation of ${name}`, () => {
        const result = checkFile(join(cases, name));
        expect(
          result.lines.filter((l) => l.verdict !== 'holds').map((l) => `${l.expectation.text}: ${l.detail}`),
        ).toEqual([]);
      });
    }
  });

  it('proves Peterson only with the stateful search, which makes the spin loop finite', () => {
    const result = checkFile(join(root, 'programs', 'peterson.py'));
    expect(result.complete).toBe(true);
    expect(result.stages.some((s) => s.startsWith('stateful search'))).toBe(true);
  });

  it('shows a violated line with a witness that replays to the violating state', () => {
    const source = py`
      from threading import Thread
      counter = 0
      def inc():
          global counter
          counter += 1
      a = Thread(target=inc)
      b = Thread(target=inc)
      a.start()
      b.start()
      a.join()
      b.join()
      # expect: always counter == 2
      # expect: outcomes counter = {2}
      # expect: never race
      `;
    const program = compile(source);
    const result = checkProgram(program, parseExpectations(source).expectations);
    expect(result.lines.map((l) => l.verdict)).toEqual(['violated', 'violated', 'violated']);
    const always = result.lines[0]!;
    expect(
      runProgram(program, { schedule: always.witness!.schedule }).machine.finalGlobals().get('counter'),
    ).toBe(1);
    expect(result.lines[1]!.detail).toBe('counter can end as 1');
  });

  it('says "not proven", with the bound, when the search cannot finish', () => {
    const source = readFileSync(join(root, 'bench', 'programs', 'counter_locked.py'), 'utf8');
    const { expectations } = parseExpectations(source);
    const result = checkProgram(compile(source, [['N', '3']]), expectations, {
      maxExecutions: 5,
      randomRuns: 0,
    });
    expect(result.lines[0]!.verdict).toBe('not proven');
    expect(result.lines[0]!.detail).toBe(
      'no counterexample, but search not complete after 5 executions (stopped by --max-executions 5)',
    );
  });
});
