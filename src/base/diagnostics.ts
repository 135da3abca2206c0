/**
 * Diagnostics: errors in the user's program are data, collected and returned, never thrown.
 *
 * Every code the tool can report is listed here once, so the codes stay stable. A diagnostic
 * is rendered as
 *
 *     file:line:col: error CODE message
 *       12 |     if x = 1:
 *          |          ^
 *
 * The CLI exits with status 2 when any diagnostic is reported.
 */

export const DIAGNOSTIC_CODES = {
  E100: 'unexpected character',
  E101: 'tab in indentation',
  E102: 'unindent does not match any outer indentation level',
  E103: 'unexpected indent',
  E104: 'unterminated string',
  E105: 'integer literal too large (beyond 2^53)',
  E106: 'bad f-string',
  E110: 'syntax error',
  E120: 'unsupported construct',
  E121: 'unsupported module or name',
  E130: 'invalid scope or control flow',
  E140: 'bad --set value',
  E150: 'file cannot be read',
} as const;

export type DiagnosticCode = keyof typeof DIAGNOSTIC_CODES;

export interface Diagnostic {
  code: DiagnosticCode;
  message: string;
  /** 1-based line. */
  line: number;
  /** 1-based column. */
  col: number;
  /** Columns under the caret (at least 1). */
  width?: number;
}

/** Build a diagnostic; `width` defaults to 1 caret. */
export function diagnostic(
  code: DiagnosticCode,
  message: string,
  line: number,
  col: number,
  width = 1,
): Diagnostic {
  return { code, message, line, col, width };
}

/**
 * Render diagnostics as `file:line:col: error CODE message`, the source line and a caret.
 * Tabs in the quoted line are kept so the caret lines up under them.
 */
export function formatDiagnostics(file: string, source: string, diagnostics: readonly Diagnostic[]): string {
  const lines = source.split(/\r\n|\r|\n/);
  const out: string[] = [];
  for (const d of diagnostics.slice(0, MAX_SHOWN)) {
    // Line 0: not about a place in the file (a bad --set value, an unreadable file).
    if (d.line <= 0) {
      out.push(`${file}: error ${d.code} ${d.message}`);
      continue;
    }
    out.push(`${file}:${d.line}:${d.col}: error ${d.code} ${d.message}`);
    const text = lines[d.line - 1];
    if (text !== undefined && d.line > 0) {
      const gutter = String(d.line);
      const pad = ' '.repeat(gutter.length);
      const [shown, col] = clip(text, d.col);
      const prefix = shown.slice(0, Math.max(0, col - 1)).replace(/[^\t]/g, ' ');
      const width = Math.max(1, Math.min(d.width ?? 1, Math.max(1, shown.length - col + 1)));
      out.push(`  ${gutter} | ${shown}`);
      out.push(`  ${pad} | ${prefix}${'^'.repeat(width)}`);
    }
  }
  const hidden = diagnostics.length - MAX_SHOWN;
  if (hidden > 0) out.push(`… and ${hidden.toLocaleString('en-US')} more error${hidden === 1 ? '' : 's'}`);
  return out.join('\n');
}

/** Diagnostics printed in full; the rest are counted (a binary file gives thousands). */
const MAX_SHOWN = 20;

/** Longest source line echoed under a diagnostic, in characters. */
const MAX_SHOWN_LINE = 120;

/**
 * `text` cut to at most MAX_SHOWN_LINE characters around 1-based column `col` (marked with `…`
 * where cut), and the column in the cut text.
 */
function clip(text: string, col: number): [string, number] {
  if (text.length <= MAX_SHOWN_LINE) return [text, col];
  const start = Math.max(0, Math.min(col - 1 - 40, text.length - MAX_SHOWN_LINE));
  const end = start + MAX_SHOWN_LINE;
  const head = start > 0 ? '…' : '';
  const tail = end < text.length ? '…' : '';
  return [head + text.slice(start, end) + tail, col - start + head.length];
}

/** Thrown only by our own code on a broken internal invariant, never for a user mistake. */
export class InternalError extends Error {
  constructor(message: string) {
    super(`internal error: ${message}`);
    this.name = 'InternalError';
  }
}
