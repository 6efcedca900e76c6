import type { z } from 'zod';
import { ProblemSchema } from '../../src/contracts/common.ts';

export type Problem = z.infer<typeof ProblemSchema>;

/** An API answer that was not a success, with its problem+json details when it had them. */
export class ApiError extends Error {
  readonly status: number;
  readonly problem: Problem | null;
  constructor(status: number, problem: Problem | null) {
    super(problem?.detail ?? `request failed (${status})`);
    this.status = status;
    this.problem = problem;
  }
}

interface RequestOptions {
  method?: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  body?: unknown;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

/**
 * Calls the API with the browser's session cookie and checks the answer against the contract schema
 * the server uses for it (src/contracts), so a drift between the two fails loudly here.
 */
export async function api<S extends z.ZodType>(schema: S, path: string, options: RequestOptions = {}): Promise<z.infer<S>> {
  const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(path, {
    method: options.method ?? 'GET',
    headers,
    credentials: 'same-origin',
    ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  const text = await res.text();
  let json: unknown = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = null;
  }
  if (!res.ok) {
    const parsed = ProblemSchema.safeParse(json);
    throw new ApiError(res.status, parsed.success ? parsed.data : null);
  }
  return schema.parse(json);
}

/** The sentence to show a person for a failed call: the problem's detail, or a plain fallback. */
export function messageOf(error: unknown): string {
  if (error instanceof ApiError) {
    const field = error.problem?.errors?.[0];
    return field ? `${error.problem?.detail ?? 'Not accepted'}: ${field.pointer ?? field.parameter ?? ''} ${field.detail}`.trim() : error.message;
  }
  if (error instanceof Error && error.name === 'AbortError') return '';
  return 'Something went wrong. Check your connection and try again.';
}

export const isStatus = (error: unknown, status: number): boolean => error instanceof ApiError && error.status === status;
