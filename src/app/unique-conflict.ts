import { isUniqueViolation } from '../db/errors.ts';
import { ConflictError } from './errors.ts';

export interface UniqueRule {
  constraint: string;
  pointer: string;
  detail: string;
}

/**
 * Runs `work` and turns a unique violation on one of the named constraints into a 409 naming the
 * field. The database decides (no racy pre-check), and the aborted transaction rolls back whole.
 */
export async function withUniqueFields<T>(rules: UniqueRule[], work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    const rule = rules.find((r) => isUniqueViolation(error, r.constraint));
    if (rule) throw new ConflictError(rule.detail, [{ pointer: rule.pointer, detail: rule.detail }]);
    throw error;
  }
}
