/**
 * Database errors as they may leave the data layer. A driver's error carries its SQL and the
 * parameters (personal data, identity numbers): only its class, SQLSTATE and the server's own
 * words are ever logged, recorded in a workflow's history or shown.
 */
export interface DbErrorSummary {
  sqlState: string | null;
  message: string;
  /** the data itself is refused: retrying the same write can never succeed */
  dataError: boolean;
}

// 22 data exception, 23 integrity violation, 42 syntax or access rule; 08P01 is what PGlite says for a NUL byte
const DATA_ERROR_CLASSES = ['22', '23', '42'];
const DATA_ERROR_STATES = new Set(['08P01']);

export function isDbError(error: unknown): error is Error {
  return error instanceof Error && ('sqlState' in error || 'params' in error || 'query' in error || /^(Driver|Server|.*Constraint.*)Exception$/.test(error.name));
}

export function summariseDbError(error: Error): DbErrorSummary {
  const { sqlState, code } = error as { sqlState?: unknown; code?: unknown };
  const state = typeof sqlState === 'string' ? sqlState : typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : null;
  // some drivers prefix the statement: keep only the server's words after it
  const serverWords = (error.message.split(' - ').at(-1) ?? '').slice(0, 200);
  const dataError = state !== null && (DATA_ERROR_CLASSES.includes(state.slice(0, 2)) || DATA_ERROR_STATES.has(state));
  return { sqlState: state, message: `${error.name}${state ? ` ${state}` : ''}: ${serverWords}`, dataError };
}

/** What may be logged of any error. */
export function loggable(error: unknown): unknown {
  return isDbError(error) ? summariseDbError(error).message : error;
}
