import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decodeSchedule,
  encodeSchedule,
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
    expect(decodeSchedule('v2:3fa2c1d0:0')).toEqual({
      error: 'schedule format v2 is not supported (this interleave reads v1)',
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
