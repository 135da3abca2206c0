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
  for (const d of diagnostics) {
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
      const prefix = text.slice(0, Math.max(0, d.col - 1)).replace(/[^\t]/g, ' ');
      const width = Math.max(1, Math.min(d.width ?? 1, Math.max(1, text.length - d.col + 1)));
      out.push(`  ${gutter} | ${text}`);
      out.push(`  ${pad} | ${prefix}${'^'.repeat(width)}`);
    }
  }
  return out.join('\n');
}

/** Thrown only by our own code on a broken internal invariant, never for a user mistake. */
export class InternalError extends Error {
  constructor(message: string) {
    super(`internal error: ${message}`);
    this.name = 'InternalError';
  }
}
