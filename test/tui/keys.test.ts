/**
 * Keys as the terminal delivers them (src/tui/keys.ts): ink's input and flags, raw chunks of
 * several keys, and `--keys` strings, each read into the keys the controller takes.
 */
import { describe, expect, it } from 'vitest';
import { KeysError, fromInk, parseKeys, splitChunk } from '../../src/tui/keys.js';

describe('fromInk', () => {
  it('reads Escape and a key sent in one chunk (ink: Alt+key) as Escape, then the key', () => {
    expect(fromInk('q', { meta: true })).toEqual([{ kind: 'escape' }, { kind: 'char', char: 'q' }]);
    expect(fromInk('', { escape: true, meta: true })).toEqual([{ kind: 'escape' }]);
    expect(fromInk('c', { ctrl: true })).toEqual([{ kind: 'ctrl-c' }]);
    expect(fromInk('n', {})).toEqual([{ kind: 'char', char: 'n' }]);
  });

  it('splits a chunk into its keys: Enter, arrows, Backspace inside it', () => {
    expect(splitChunk('g12\r\x1b[A\x7f')).toEqual([
      { kind: 'char', char: 'g' },
      { kind: 'char', char: '1' },
      { kind: 'char', char: '2' },
      { kind: 'enter' },
      { kind: 'up' },
      { kind: 'backspace' },
    ]);
  });
});

describe('parseKeys', () => {
  it('takes key names, single characters, and digits and command keys typed one by one', () => {
    expect(parseKeys('g 12 Enter ctrl-c ?')).toEqual([
      { kind: 'char', char: 'g' },
      { kind: 'char', char: '1' },
      { kind: 'char', char: '2' },
      { kind: 'enter' },
      { kind: 'ctrl-c' },
      { kind: 'char', char: '?' },
    ]);
    expect(parseKeys('Z')).toEqual([{ kind: 'char', char: 'Z' }]);
  });

  it('refuses a word that is neither, naming it', () => {
    expect(() => parseKeys('n entr')).toThrow(KeysError);
    expect(() => parseKeys('n entr')).toThrow('"entr" is not a key');
    expect(() => parseKeys('hello')).toThrow(KeysError);
  });
});
