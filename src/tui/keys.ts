/**
 * Keys as the UI's state machine reads them, from a terminal (ink's input and key flags) or
 * from a `--keys` string, so that both drive the controller the same way.
 */

/** One key: a printable character (`n`, `7`, `?`) or a named key. */
export type Key =
  | { kind: 'char'; char: string }
  | {
      kind:
        | 'enter'
        | 'escape'
        | 'backspace'
        | 'left'
        | 'right'
        | 'up'
        | 'down'
        | 'pageup'
        | 'pagedown'
        | 'ctrl-c';
    };

/** What ink 6 passes to useInput's handler (the flags used here). */
export interface InkKeyFlags {
  return?: boolean;
  escape?: boolean;
  backspace?: boolean;
  delete?: boolean;
  leftArrow?: boolean;
  rightArrow?: boolean;
  upArrow?: boolean;
  downArrow?: boolean;
  pageUp?: boolean;
  pageDown?: boolean;
  ctrl?: boolean;
  meta?: boolean;
}

/**
 * The keys of one ink input event (a paste gives several characters). Ink 6 reports Backspace
 * as `delete`, and Escape with `meta` set as well as `escape`.
 */
export function fromInk(input: string, key: InkKeyFlags): Key[] {
  if (key.ctrl === true && input === 'c') return [{ kind: 'ctrl-c' }];
  if (key.return === true) return [{ kind: 'enter' }];
  if (key.escape === true) return [{ kind: 'escape' }];
  if (key.backspace === true || key.delete === true) return [{ kind: 'backspace' }];
  if (key.leftArrow === true) return [{ kind: 'left' }];
  if (key.rightArrow === true) return [{ kind: 'right' }];
  if (key.upArrow === true) return [{ kind: 'up' }];
  if (key.downArrow === true) return [{ kind: 'down' }];
  if (key.pageUp === true) return [{ kind: 'pageup' }];
  if (key.pageDown === true) return [{ kind: 'pagedown' }];
  if (key.ctrl === true && input.length === 1) return [];
  // Escape and a key typed fast (tmux sends `Escape q` as one chunk) reach ink as Alt+key: the UI
  // binds no Alt keys, so this is Escape, then the key.
  if (key.meta === true && input !== '') return [{ kind: 'escape' }, ...splitChunk(input)];
  return splitChunk(input);
}

const SEQUENCES: [string, Key['kind']][] = [
  ['\x1b[A', 'up'],
  ['\x1b[B', 'down'],
  ['\x1b[C', 'right'],
  ['\x1b[D', 'left'],
  ['\x1bOA', 'up'],
  ['\x1bOB', 'down'],
  ['\x1bOC', 'right'],
  ['\x1bOD', 'left'],
  ['\x1b[5~', 'pageup'],
  ['\x1b[6~', 'pagedown'],
];

/**
 * The keys of a chunk of terminal input. Keys typed fast (or sent by tmux) arrive as one chunk,
 * which ink passes on whole (`g\r`): Enter, Backspace, Escape and arrows inside it are found here.
 */
export function splitChunk(input: string): Key[] {
  const out: Key[] = [];
  let i = 0;
  while (i < input.length) {
    const rest = input.slice(i);
    const seq = SEQUENCES.find(([s]) => rest.startsWith(s));
    if (seq !== undefined) {
      out.push({ kind: seq[1] } as Key);
      i += seq[0].length;
      continue;
    }
    const c = input[i]!;
    i++;
    if (c === '\r' || c === '\n') out.push({ kind: 'enter' });
    else if (c === '\x7f' || c === '\b') out.push({ kind: 'backspace' });
    else if (c === '\x1b') out.push({ kind: 'escape' });
    else if (c === '\x03') out.push({ kind: 'ctrl-c' });
    else if (c >= ' ') out.push({ kind: 'char', char: c });
  }
  return out;
}

const NAMED: Record<string, Key['kind']> = {
  enter: 'enter',
  esc: 'escape',
  escape: 'escape',
  bs: 'backspace',
  backspace: 'backspace',
  left: 'left',
  right: 'right',
  up: 'up',
  down: 'down',
  pgup: 'pageup',
  pgdn: 'pagedown',
  'ctrl-c': 'ctrl-c',
};

/** Characters a word of several may be typed as, one by one: digits and the command keys. */
const TYPED = /^[0-9nbsgrexvq?]+$/;

/** A `--keys` string that names no key (`--keys "nn foo"`): the CLI's bad input, exit 2. */
export class KeysError extends Error {}

/**
 * The keys of a `--keys` string: words separated by spaces; a word is a key name (`enter`,
 * `esc`, `bs`, `left`, `right`, `up`, `down`, `pgup`, `pgdn`, `space`, `ctrl-c`), one
 * character, or digits and command keys typed one by one (`g 12 enter` goes to step 12,
 * `nnn` is three steps). Throws KeysError for any other word (`entr`), so that a typo is not
 * typed as letters.
 */
export function parseKeys(text: string): Key[] {
  const out: Key[] = [];
  for (const word of text.split(/\s+/).filter((w) => w !== '')) {
    const named = NAMED[word.toLowerCase()];
    if (named !== undefined) out.push({ kind: named } as Key);
    else if (word.toLowerCase() === 'space') out.push({ kind: 'char', char: ' ' });
    else if ([...word].length === 1 || TYPED.test(word))
      for (const char of word) out.push({ kind: 'char', char });
    else
      throw new KeysError(
        `--keys: "${word}" is not a key: give key names (${[...Object.keys(NAMED), 'space'].join(', ')}), single characters, or digits and command keys typed one by one (${'nbsgrexvq?'.split('').join(' ')})`,
      );
  }
  return out;
}

/** A key as the help and messages name it. */
export function keyName(k: Key): string {
  return k.kind === 'char' ? k.char : k.kind;
}
