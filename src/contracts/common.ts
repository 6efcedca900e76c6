import { z } from 'zod';

/** Ids are UUIDs, sent as strings. */
export const Id = z.uuid({ error: 'must be a UUID' });

export const IdParams = z.strictObject({ id: Id });

/** Timestamps are ISO-8601 in UTC. */
export const Timestamp = z.iso.datetime({ offset: true, error: 'must be an ISO-8601 date-time' });

export const PageQuery = {
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(200).optional(),
};

/** A list answer: a page of rows and the cursor to the next page, or null on the last. */
export function listOf<T extends z.ZodType>(item: T) {
  return z.object({ data: z.array(item), nextCursor: z.string().nullable() });
}

export const FieldErrorSchema = z.object({
  pointer: z.string().optional(),
  parameter: z.string().optional(),
  detail: z.string(),
  line: z.number().int().optional(),
  column: z.number().int().optional(),
});

/** RFC 9457 problem details, with `errors` naming each offending field. */
export const ProblemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    instance: z.string().optional(),
    errors: z.array(FieldErrorSchema).optional(),
  })
  .meta({ id: 'Problem' });

/** Free-form attributes: a flat-or-nested JSON object kept as given. */
export const Attributes = z.record(z.string().max(100), z.unknown());

export const Tag = z.string().trim().min(1).max(50);

/** A short single-line text; trimmed, non-empty. */
export function text(max: number) {
  return z.string().trim().min(1, { error: 'must not be empty' }).max(max);
}
