/** PostgreSQL's error, as both pg and PGlite report it. */
interface PgError {
  code?: string;
  constraint?: string;
  message?: string;
}

/** True when the error is a unique violation, optionally on the named constraint or index. */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  const e = error as PgError;
  if (e?.code !== '23505') return false;
  return constraint === undefined || e.constraint === constraint || (e.message ?? '').includes(`"${constraint}"`);
}
