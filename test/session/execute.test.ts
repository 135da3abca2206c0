/**
 * The run loop (session/execute.ts) over a session: a replayed schedule that stops fitting is
 * returned as a Divergence (step and reason), and the run can be asked to go on past it.
 */
import { describe, expect, it } from 'vitest';
import { decodeSchedule, encodeSchedule, type Schedule } from '../../src/schedule/schedule.js';
import { execute } from '../../src/session/execute.js';
import { ReplayStrategy, RoundRobinStrategy, UniformStrategy } from '../../src/schedule/strategies.js';
import { Session } from '../../src/session/session.js';
import { compile, py } from '../helpers.js';

const program = compile(py`
  import random
  from threading import Thread
  counter = 0
  def work():
      global counter
      counter += random.randint(1, 3)
  ts = [Thread(target=work) for _ in range(2)]
  for t in ts:
      t.start()
  for t in ts:
      t.join()
  `);

function decode(text: string): Schedule {
  const d = decodeSchedule(text);
  if ('error' in d) throw new Error(d.error);
  return d.schedule;
}

/** A straight uniform run's schedule, as text. */
function straight(seed: number): { text: string; steps: number } {
  const s = new Session(program, { checkpoints: false });
  const r = execute(s, new UniformStrategy(seed), { maxSteps: 10_000 });
  return { text: encodeSchedule(r.schedule), steps: r.steps };
}

describe('execute over a session', () => {
  it('replays a fitting schedule with no divergence', () => {
    const { text, steps } = straight(4);
    const r = execute(new Session(program, { checkpoints: false }), new ReplayStrategy(decode(text)), {
      maxSteps: 10_000,
    });
    expect([r.status, r.divergence, r.steps, encodeSchedule(r.schedule)]).toEqual([
      'completed',
      null,
      steps,
      text,
    ]);
  });

  it('returns where a schedule stops fitting, as data, and stops there', () => {
    const { text } = straight(4);
    const fp = text.split(':')[1];
    // Thread 5 never exists: the schedule diverges at step 3.
    const r = execute(
      new Session(program, { checkpoints: false }),
      new ReplayStrategy(decode(`v1:${fp}:0*3,5`)),
      {
        maxSteps: 10_000,
      },
    );
    expect(r.status).toBe('diverged');
    expect(r.divergence).toEqual({
      step: 3,
      reason: 'thread 5 does not exist (threads started so far: 0..0)',
    });
    expect(r.steps).toBe(3);
  });

  it('reports a random call the schedule has no choice for, at its step', () => {
    const { text } = straight(4);
    const choiceAt = text
      .split(':')[2]!
      .split(',')
      .findIndex((item) => item.includes('='));
    expect(choiceAt).toBeGreaterThan(0);
    // The same schedule with its choices turned into plain steps.
    const plain = text.replace(/(\d+)=\d+/g, '$1');
    const r = execute(new Session(program, { checkpoints: false }), new ReplayStrategy(decode(plain)), {
      maxSteps: 10_000,
    });
    expect(r.status).toBe('diverged');
    expect(r.divergence!.reason).toBe(
      'the program makes a random choice here but the schedule has none (write T=i)',
    );
  });

  it('goes on past a divergence with another strategy, keeping the prefix that fit', () => {
    const { text } = straight(4);
    const fp = text.split(':')[1];
    const r = execute(
      new Session(program, { checkpoints: false }),
      new ReplayStrategy(decode(`v1:${fp}:0*3,5`)),
      {
        maxSteps: 10_000,
        afterDivergence: new RoundRobinStrategy(1),
      },
    );
    expect(r.status).toBe('completed');
    expect(r.divergence).toEqual({
      step: 3,
      reason: 'thread 5 does not exist (threads started so far: 0..0)',
    });
    expect(encodeSchedule(r.schedule)).toMatch(new RegExp(`^v1:${fp}:0\\*`));
    // The continued execution replays as it ran.
    const again = execute(new Session(program, { checkpoints: false }), new ReplayStrategy(r.schedule), {
      maxSteps: 10_000,
    });
    expect([again.status, again.divergence, encodeSchedule(again.schedule)]).toEqual([
      'completed',
      null,
      encodeSchedule(r.schedule),
    ]);
  });

  it('refuses steps left over after the end, as data', () => {
    const { text } = straight(2);
    const r = execute(
      new Session(program, { checkpoints: false }),
      new ReplayStrategy(decode(`${text},0*4`)),
      {
        maxSteps: 10_000,
      },
    );
    expect(r.status).toBe('diverged');
    expect(r.divergence!.reason).toMatch(
      /^the program ended before the schedule did: item \d+ of \d+ \(0\*4\) is left over$/,
    );
  });
});

describe('session checkpoints and peeks', () => {
  it('restores a checkpoint: same state, same schedule, and the steps after it are taken again alike', () => {
    const s = new Session(program, { checkpoints: false });
    for (let i = 0; i < 6; i++) s.step(0);
    const c = s.checkpoint();
    const hash = s.machine.stateHash();
    const first = [s.step(1), s.step(1), s.step(2)];
    const after = encodeSchedule(s.schedule());
    s.restore(c);
    expect(s.machine.stateHash()).toEqual(hash);
    expect(encodeSchedule(s.schedule())).toBe(after.replace(/,1\*2,2$/, ''));
    expect([s.step(1), s.step(1), s.step(2)]).toEqual(first);
    expect(encodeSchedule(s.schedule())).toBe(after);
  });

  it('peeks at the next step of a thread without taking it', () => {
    const s = new Session(program, { checkpoints: false });
    for (let i = 0; i < 6; i++) s.step(0);
    const before = [s.machine.stateHash(), encodeSchedule(s.schedule()), s.view.current];
    const peeked = s.peek(1);
    expect([s.machine.stateHash(), encodeSchedule(s.schedule()), s.view.current]).toEqual(before);
    expect(s.step(1)).toEqual(peeked);
  });
});
