import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_MODEL, parseModelName, type ExecutionModel } from '../../src/compile/model.js';
import {
  decodeSchedule,
  encodeSchedule,
  replayRefusal,
  scheduleModel,
  ScheduleRecorder,
  type Schedule,
  type ScheduleItem,
} from '../../src/schedule/schedule.js';

const item: fc.Arbitrary<ScheduleItem> = fc.oneof(
  fc.record({
    kind: fc.constant('run' as const),
    tid: fc.nat(200),
    count: fc.integer({ min: 1, max: 10_000_000 }),
  }),
  fc.record({ kind: fc.constant('timeout' as const), tid: fc.nat(200) }),
  fc.record({ kind: fc.constant('choice' as const), tid: fc.nat(200), option: fc.nat(1000) }),
);

describe('the schedule codec', () => {
  it('reads back every schedule it writes', () => {
    fc.assert(
      fc.property(
        fc.array(item, { maxLength: 40 }),
        fc.stringMatching(/^[0-9a-f]{8}$/),
        (items, fingerprint) => {
          const s: Schedule = { version: 1, fingerprint, items };
          expect(decodeSchedule(encodeSchedule(s))).toEqual({ schedule: s });
        },
      ),
      { seed: 7, numRuns: 300 },
    );
  });

  it('writes runs, timeouts and choices in a readable compact form', () => {
    const s: Schedule = {
      version: 1,
      fingerprint: '3fa2c1d0',
      items: [
        { kind: 'run', tid: 0, count: 12 },
        { kind: 'run', tid: 1, count: 1 },
        { kind: 'timeout', tid: 2 },
        { kind: 'choice', tid: 1, option: 4 },
      ],
    };
    expect(encodeSchedule(s)).toBe('v1:3fa2c1d0:0*12,1,2t,1=4');
  });

  it('refuses malformed text with the reason and the item', () => {
    expect(decodeSchedule('hello')).toEqual({
      error: expect.stringMatching(/^a schedule looks like v1:<8 hex digits>:<steps>/),
    });
    expect(decodeSchedule('v3:3fa2c1d0:0')).toEqual({
      error: 'schedule format v3 is not supported (this interleave reads v1 to v2)',
    });
    expect(decodeSchedule('v1:3fa2c1d0:0*3,x,1')).toEqual({
      error: "schedule item 2 'x' is not T, T*N, Tt or T=i",
    });
    expect(decodeSchedule('v1:3fa2c1d0:0*0')).toEqual({
      error: "schedule item 1 '0*0': a run needs at least one step",
    });
    expect(decodeSchedule('v1:3fa2c1d0:0*99999999999999999999')).toEqual({
      error: "schedule item 1 '0*99999999999999999999': the number is too large",
    });
    expect(decodeSchedule('v1:3fa2c1d0:0,1=99999999999999999999')).toEqual({
      error: "schedule item 2 '1=99999999999999999999': the number is too large",
    });
  });
});

describe('the execution model in the schedule (format v2)', () => {
  const items: ScheduleItem[] = [
    { kind: 'run', tid: 0, count: 12 },
    { kind: 'timeout', tid: 1 },
    { kind: 'choice', tid: 2, option: 3 },
  ];

  it('reads v1 as the default model and writes the default model as v1', () => {
    const decoded = decodeSchedule('v1:3fa2c1d0:0*12,1t,2=3');
    expect(decoded).toEqual({ schedule: { version: 1, fingerprint: '3fa2c1d0', items } });
    if ('error' in decoded) throw new Error(decoded.error);
    expect(scheduleModel(decoded.schedule)).toEqual(DEFAULT_MODEL);
    expect(encodeSchedule(decoded.schedule)).toBe('v1:3fa2c1d0:0*12,1t,2=3');
  });

  it('reads back a v2 schedule, which names its model, as it was written', () => {
    const text = 'v2:3fa2c1d0:op/sc:0*12,1t,2=3';
    const decoded = decodeSchedule(text);
    expect(decoded).toEqual({
      schedule: { version: 2, fingerprint: '3fa2c1d0', model: DEFAULT_MODEL, items },
    });
    if ('error' in decoded) throw new Error(decoded.error);
    expect(encodeSchedule(decoded.schedule)).toBe(text);
    expect(decodeSchedule('v2:3fa2c1d0:op/sc:')).toEqual({
      schedule: { version: 2, fingerprint: '3fa2c1d0', model: DEFAULT_MODEL, items: [] },
    });
  });

  it('writes a model other than the default as v2', () => {
    // No other model exists yet: one is made up here, as the next models will be.
    const tso = { switchPoints: 'op', memory: 'tso' } as unknown as ExecutionModel;
    const s: Schedule = { version: 1, fingerprint: '3fa2c1d0', model: tso, items };
    expect(encodeSchedule(s)).toBe('v2:3fa2c1d0:op/tso:0*12,1t,2=3');
    expect(new ScheduleRecorder('3fa2c1d0', tso).schedule()).toEqual({
      version: 2,
      fingerprint: '3fa2c1d0',
      model: tso,
      items: [],
    });
  });

  it('refuses a schedule recorded under a model the program does not run under, naming both', () => {
    const program = { fingerprint: '3fa2c1d0', model: DEFAULT_MODEL };
    const decoded = decodeSchedule('v2:3fa2c1d0:op/sc:0*12');
    if ('error' in decoded) throw new Error(decoded.error);
    expect(replayRefusal(decoded.schedule, program)).toBeNull();
    const other = {
      fingerprint: '3fa2c1d0',
      model: { switchPoints: 'op', memory: 'tso' } as unknown as ExecutionModel,
    };
    expect(replayRefusal(decoded.schedule, other)).toBe(
      'the schedule was recorded under execution model op/sc, and this program runs under op/tso',
    );
    expect(replayRefusal(decoded.schedule, { ...program, fingerprint: '00000000' })).toBe(
      'the schedule was recorded for another program or other --set values (fingerprint 3fa2c1d0, this program 00000000)',
    );
  });

  it('names an unknown or malformed model in a clear error', () => {
    expect(decodeSchedule('v2:3fa2c1d0:op/tso:0')).toEqual({
      error:
        "unknown memory model 'tso' in execution model 'op/tso' (known switch points: op; memory models: sc)",
    });
    expect(decodeSchedule('v2:3fa2c1d0:gil/sc:0')).toEqual({
      error:
        "unknown switch points 'gil' in execution model 'gil/sc' (known switch points: op; memory models: sc)",
    });
    expect(decodeSchedule('v2:3fa2c1d0:opsc:0')).toEqual({
      error: "execution model 'opsc' is not SWITCHPOINTS/MEMORY, for example op/sc",
    });
    expect(decodeSchedule('v2:3fa2c1d0:0*12')).toEqual({
      error:
        'a v2 schedule names its execution model: v2:<8 hex digits>:<model>:<steps>, for example v2:3fa2c1d0:op/sc:0*12,1',
    });
    expect(parseModelName('op/sc')).toEqual({ model: DEFAULT_MODEL });
  });
});

describe('the schedule recorder', () => {
  it('merges consecutive runs of a thread and splits out timeouts and choices', () => {
    const r = new ScheduleRecorder('00000000');
    r.steps(0, 0, 5, false);
    r.steps(0, 5, 3, false);
    r.steps(1, 8, 1, true);
    r.choice(11, 2);
    r.steps(2, 9, 4, false);
    r.steps(2, 13, 2, false);
    expect(encodeSchedule(r.schedule())).toBe('v1:00000000:0*8,1t,2*2,2=2,2*3');
  });
});
