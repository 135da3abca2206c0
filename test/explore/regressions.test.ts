/**
 * The programs that showed the exhaustive search proving false claims (issue 9), reduced: a
 * Semaphore(2) whose two holders overlap, three threads inside a Semaphore(2), a pre-set Event,
 * an Event set then cleared, a daemon thread that writes while the main thread ends, a thread
 * that never ends. For each, DPOR alone (no random runs first) must find exactly the outcomes of
 * the stateful search, and `check` must give the right verdict for every `# expect:` line.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkProgram } from '../../src/check/check.js';
import { parseExpectations } from '../../src/check/expectations.js';
import { explorePOR } from '../../src/explore/dpor.js';
import { enumerateAll } from '../../src/explore/enumerate.js';
import { endState, outcomeKey } from '../../src/explore/outcomes.js';
import { exploreStates } from '../../src/explore/stateful.js';
import { compile } from '../helpers.js';
import { traceOf } from './trace-of.js';

const dir = 'test/explore/regressions';

/** Each program with the verdict of each of its lines, in order. */
const cases: [string, string[]][] = [
  ['sem2.py', ['holds']],
  ['sem3.py', ['holds', 'holds']],
  ['preset.py', ['holds', 'holds', 'holds']],
  ['setclear.py', ['holds', 'holds']],
  ['daemon.py', ['holds']],
  ['forever.py', ['not proven']],
];

/** Programs without `# expect:` lines that a break-test found DPOR missing outcomes of. */
const found = [
  'negative_index.py',
  'dict_true_key.py',
  'nested_list_read.py',
  'str_join_read.py',
  'thread_args_read.py',
  'timed_wait_notify.py',
  'daemon_join.py',
  'nested_starts.py',
  'cond_timed_untimed.py',
  'timed_wait_daemon.py',
  'dict_iter_grow.py',
  'dict_view_read.py',
  'del_missing_key.py',
  'del_index_error.py',
  'notify_nobody.py',
  'notified_daemon_blocked.py',
  'del_daemon_three.py',
];

/**
 * Programs whose Mazurkiewicz traces DPOR did not all explore, with their number of traces
 * (cond_timed_untimed.py has 29 and notify_nobody.py 8, but too many interleavings to enumerate
 * in the suite).
 */
const traceCounts: [string, number][] = [
  ['timed_wait_daemon.py', 84],
  ['del_missing_key.py', 2],
];

describe('the programs of issue 9', () => {
  it.each([...cases.map(([f]) => f), ...found])(
    '%s: DPOR finds the outcomes of the stateful search',
    (file) => {
      const p = compile(readFileSync(`${dir}/${file}`, 'utf8'), [], file);
      const dpor = new Set<string>();
      explorePOR(p, {
        maxSteps: 5_000,
        onExecution: (r) => {
          if (r.truncated) return;
          dpor.add(outcomeKey(endState(r.machine, r.machine.finished ? 'completed' : 'deadlock')));
        },
      });
      const states = exploreStates(p);
      expect(states.complete).toBe(true);
      const expected = states.table.entries.filter((e) => e.state.status !== 'step-bound').map((e) => e.key);
      expect([...dpor].sort()).toEqual(expected.sort());
    },
  );

  it.each(traceCounts)(
    '%s: DPOR explores each of the %d traces plain enumeration reaches, once',
    (file, n) => {
      const p = compile(readFileSync(`${dir}/${file}`, 'utf8'), [], file);
      const all = new Set<string>();
      expect(enumerateAll(p, (r) => void all.add(traceOf(r))).complete).toBe(true);
      const explored: string[] = [];
      expect(explorePOR(p, { onExecution: (r) => void explored.push(traceOf(r)) }).complete).toBe(true);
      expect(all.size).toBe(n);
      expect(explored.sort()).toEqual([...all].sort());
    },
  );

  it.each(cases)('%s: check gives %j with the exhaustive search alone', (file, verdicts) => {
    const source = readFileSync(`${dir}/${file}`, 'utf8');
    const p = compile(source, [], file);
    const { expectations } = parseExpectations(source);
    const result = checkProgram(p, expectations, { randomRuns: 0 });
    expect(result.lines.map((l) => l.verdict)).toEqual(verdicts);
  });

  it('says that no execution finished, and which bound stopped them, for a thread that never ends', () => {
    const source = readFileSync(`${dir}/forever.py`, 'utf8');
    const { expectations } = parseExpectations(source);
    const [line] = checkProgram(compile(source), expectations, { randomRuns: 0 }).lines;
    expect(line!.detail).toMatch(/^no execution finished: every execution was stopped by the step bound/);
  });

  it('finds the other outcomes of the daemon program exactly: x = 0 and x = 1, in 3 executions', () => {
    const p = compile(readFileSync(`${dir}/daemon.py`, 'utf8'));
    const xs = new Set<string>();
    const r = explorePOR(p, {
      onExecution: (run) => void xs.add(endState(run.machine, 'completed').globals.x!),
    });
    expect([...xs].sort()).toEqual(['0', '1']);
    expect(r.executions).toBe(3);
  });
});
