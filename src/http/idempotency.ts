import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { TxHooks } from '../app/scope.ts';
import { AppError } from '../app/errors.ts';
import { claimIdempotencyKey, completeIdempotencyKey, releaseIdempotencyKey } from '../db/repositories/idempotency.ts';

/** How long a request may hold a key before a retry may take it over (its holder presumably died). */
const LEASE_MS = 60_000;

/**
 * Runs a create with `Idempotency-Key` semantics: the same key and body replay the first answer
 * (never a second record); the same key with another body is 422; a key whose first request is
 * still running is 409. The answer is stored in the same transaction as the record it describes.
 */
export async function idempotentCreate<T, P>(
  request: FastifyRequest,
  reply: FastifyReply,
  route: string,
  create: (hooks: TxHooks<T>) => Promise<T>,
  present: (result: T) => P,
  statusOf: number | ((result: T) => number) = 201,
): Promise<P> {
  const status = (result: T) => (typeof statusOf === 'number' ? statusOf : statusOf(result));
  const header = request.headers['idempotency-key'];
  const key = Array.isArray(header) ? header[0] : header;
  if (key === undefined) {
    const result = await create({});
    reply.code(status(result));
    return present(result);
  }
  if (key.length === 0 || key.length > 255) {
    throw new AppError(400, 'validation', 'Invalid request', 'the Idempotency-Key header must be 1 to 255 characters', [
      { parameter: 'Idempotency-Key', detail: 'must be 1 to 255 characters' },
    ]);
  }
  const { scope } = request;
  const ref = { tenantId: scope.tenantId, route, key };
  const claim = await claimIdempotencyKey(scope.db, ref, requestHash(request.body), LEASE_MS);
  if (claim.kind === 'replay') {
    reply.code(claim.status).header('Idempotent-Replayed', 'true');
    return claim.body as P; // stored by present() for this route, so it has its shape
  }
  if (claim.kind === 'mismatch') {
    throw new AppError(422, 'idempotency-key-reused', 'Idempotency key reused', 'this Idempotency-Key was used with a different request body', [
      { parameter: 'Idempotency-Key', detail: 'was used with a different request body' },
    ]);
  }
  if (claim.kind === 'in_flight') {
    reply.header('Retry-After', '1');
    throw new AppError(409, 'idempotency-key-in-flight', 'Request in progress', 'a request with this Idempotency-Key is still being processed; retry shortly', [
      { parameter: 'Idempotency-Key', detail: 'is in use by a request in progress' },
    ]);
  }
  let presented: P | undefined;
  let code = 201;
  try {
    await create({
      beforeCommit: async (tx, result) => {
        presented = present(result);
        code = status(result);
        await completeIdempotencyKey(tx, ref, code, presented);
      },
    });
  } catch (error) {
    await releaseIdempotencyKey(scope.db, ref);
    throw error;
  }
  reply.code(code);
  return presented as P;
}

function requestHash(body: unknown): string {
  return createHash('sha256').update(canonicalJson(body)).digest('hex');
}

/** JSON with object keys sorted, so the same body always hashes the same. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}
