/**
 * Soft keywords: `match` and `type` are keywords only at the start of their statements and
 * ordinary names everywhere else (`match = re.match(...)`, `type = 'x'` are valid Python),
 * so the LL grammar cannot tell them from names by one token. Their statements are outside
 * the subset; they are recognised here, on the token stream, so that they can be named.
 */
import type { IToken } from 'chevrotain';
import { Assign, Colon, Dedent, Identifier, Indent, LBracket, Newline } from './tokens.js';

export interface SoftKeywordStatement {
  /** 'match' for `match x:` with its block, 'type' for a type alias `type X = ...`. */
  kind: 'match' | 'type';
  /** The soft keyword's token. */
  token: IToken;
}

/**
 * The statements that start with a soft keyword. `match <subject>:` followed by an indented
 * block is a match statement: no other statement starting with a name ends with `:` and a
 * block. `type Name =` or `type Name[` is a type alias: a name cannot be followed by a name.
 */
export function softKeywordStatements(tokens: readonly IToken[]): SoftKeywordStatement[] {
  const found: SoftKeywordStatement[] = [];
  let atLineStart = true;
  for (let i = 0; i < tokens.length; i++) {
    const tok = tokens[i]!;
    const type = tok.tokenType;
    if (type === Newline || type === Indent || type === Dedent) {
      atLineStart = true;
      continue;
    }
    if (atLineStart && type === Identifier && tok.image === 'match') {
      let end = i + 1;
      while (end < tokens.length && tokens[end]!.tokenType !== Newline) end++;
      const endsWithColon = end - i >= 3 && tokens[end - 1]!.tokenType === Colon;
      if (endsWithColon && tokens[end + 1]?.tokenType === Indent) found.push({ kind: 'match', token: tok });
    }
    if (
      atLineStart &&
      type === Identifier &&
      tok.image === 'type' &&
      tokens[i + 1]?.tokenType === Identifier
    ) {
      const after = tokens[i + 2]?.tokenType;
      if (after === Assign || after === LBracket) found.push({ kind: 'type', token: tok });
    }
    atLineStart = false;
  }
  return found;
}
