/** The public façade (src/index.ts): a program compiled, run, explored, checked and stepped through it alone. */
import { describe, expect, it } from 'vitest';
import * as api from '../src/index.js';

const source =
  'import threading\ncounter = 0\ndef work():\n    global counter\n    counter += 1\nt = threading.Thread(target=work)\nt.start()\nwork()\nt.join()\n# expect: outcomes counter = {1..2}\n';

describe('the public API', () => {
  it('compiles, runs, explores, checks and steps a program', () => {
    const { program, diagnostics } = api.compileSource(source, 'race.py');
    expect(diagnostics).toEqual([]);
    expect(program!.model).toEqual(api.DEFAULT_MODEL);
    const result = api.runProgram(program!, { scheduler: 'round-robin' });
    expect(api.outcomeOf(result).status).toBe('completed');
    expect(api.outcomeOf(result).values).toEqual({ counter: 1 }); // round-robin loses an update
    expect(api.outcomeJson(result).globals).toEqual({ counter: 1 });
    expect(api.outcomeJson(result).globalsRepr).toEqual({ counter: '1' });
    const exploration = api.exploreProgram(program!);
    expect(exploration.complete).toBe(true);
    expect(exploration.table.entries.map((e) => e.state.globals['counter']).sort()).toEqual(['1', '2']);
    const typed: api.JsValue[] = exploration.table.entries.map((e) =>
      api.toJsValue(e.state.values.get('counter')!),
    );
    expect(typed.sort()).toEqual([1, 2]);
    expect(
      exploration.table.entries.map((e) => api.toJsonValue(e.state.values.get('counter')!)).sort(),
    ).toEqual([1, 2]);
    const { expectations } = api.parseExpectations(source);
    expect(api.checkProgram(program!, expectations).lines.map((l) => l.verdict)).toEqual(['holds']);
    const session = new api.Session(program!);
    expect(session.step(0)?.tid).toBe(0);
    const text = api.encodeSchedule(result.execution.schedule);
    expect(api.decodeSchedule(text)).toEqual({ schedule: result.execution.schedule });
  });

  it('shrinks a witness of a random run to the fewest preemptions', () => {
    const { program } = api.compileSource(source, 'race.py');
    const lost = [...Array(50).keys()]
      .map((seed) => api.runProgram(program!, { scheduler: 'uniform', seed: seed + 1 }))
      .find((r) => r.machine.finalGlobals().get('counter') === 1)!;
    const shrunk = api.shrinkWitness(
      program!,
      lost.execution.schedule,
      (r) => r.state.globals['counter'] === '1',
      {
        budget: api.DEFAULT_SHRINK_BUDGET,
      },
    );
    expect(shrunk).toMatchObject({ reproduced: true, preemptions: 1 });
    const again = api.runProgram(program!, { schedule: shrunk.schedule });
    expect(again.machine.finalGlobals().get('counter')).toBe(1);
  });
});
