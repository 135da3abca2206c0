/**
 * The execution so far as the report layer reads a finished run (run/run.ts RunResult), so the
 * UI shows lost updates, races, a deadlock and exceptions with the very formatters `run` uses.
 */
import type { RunResult } from '../run/run.js';
import type { ExecutionStatus } from '../session/execute.js';
import type { Session } from '../session/session.js';

/** How the execution stands: still running (threads can step), or how it ended. */
export type Standing = 'running' | 'completed' | 'deadlock' | 'step-bound';

/** Where the session's execution stands now. */
export function standing(session: Session): Standing {
  const m = session.machine;
  if (m.halt !== null) return 'step-bound';
  if (m.finished) return 'completed';
  return m.enabled().length === 0 ? 'deadlock' : 'running';
}

/** The session's execution so far as a RunResult of a replayed schedule (status 'step-bound' while running). */
export function resultSoFar(session: Session): RunResult {
  const s = standing(session);
  const status: ExecutionStatus = s === 'running' ? 'step-bound' : s;
  const m = session.machine;
  return {
    program: session.program,
    machine: m,
    execution: {
      status,
      steps: m.steps,
      boundReason: m.halt?.reason ?? null,
      divergence: null,
      get schedule() {
        return session.schedule();
      },
    },
    config: { kind: 'replay', schedule: session.schedule() },
    invariants: [],
    violation: session.violation,
  };
}
