import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { AppError, type FieldError } from '../app/errors.ts';

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  errors?: FieldError[];
}

export function problem(status: number, kind: string, title: string, detail: string, errors?: FieldError[]): Problem {
  return { type: `urn:fairdesk:problem:${kind}`, title, status, detail, ...(errors && errors.length > 0 ? { errors } : {}) };
}

export function sendProblem(reply: FastifyReply, p: Problem): FastifyReply {
  return reply.code(p.status).type('application/problem+json').send(p);
}

interface ValidationIssue {
  instancePath: string;
  keyword: string;
  message?: string;
  params?: Record<string, unknown>;
}

/** Turns Zod issues into field errors: JSON pointers for the body, parameter names elsewhere. */
function fieldErrors(issues: ValidationIssue[], context: string | undefined): FieldError[] {
  const errors: FieldError[] = [];
  for (const issue of issues) {
    const paths =
      issue.keyword === 'unrecognized_keys' && Array.isArray(issue.params?.keys)
        ? (issue.params.keys as string[]).map((key) => `${issue.instancePath === '/' ? '' : issue.instancePath}/${key}`)
        : [issue.instancePath];
    const detail = issue.keyword === 'unrecognized_keys' ? 'is not a known field' : (issue.message ?? 'is invalid');
    for (const path of paths) {
      if (context === 'body') errors.push({ pointer: path === '' ? '/' : path, detail });
      else errors.push({ parameter: path.replace(/^\//, '').split('/')[0] || '(none)', detail });
    }
  }
  return errors;
}

/** Every error leaves as application/problem+json; only the unexpected become a 500, and are logged. */
export function handleError(error: FastifyError, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  if (hasZodFastifySchemaValidationErrors(error)) {
    const context = (error as FastifyError & { validationContext?: string }).validationContext;
    const where = context === 'body' ? 'request body' : context === 'querystring' ? 'query' : context === 'params' ? 'path' : context;
    return sendProblem(
      reply,
      problem(400, 'validation', 'Invalid request', `the ${where ?? 'request'} is not valid`, fieldErrors(error.validation as ValidationIssue[], context)),
    );
  }
  // A problem built elsewhere and thrown as it is (the rate limiter's 429).
  const thrown = error as unknown as Partial<Problem>;
  if (typeof thrown.type === 'string' && thrown.type.startsWith('urn:fairdesk:problem:') && typeof thrown.status === 'number') {
    return sendProblem(reply, problem(thrown.status, thrown.type.slice('urn:fairdesk:problem:'.length), thrown.title ?? 'Error', thrown.detail ?? ''));
  }
  if (error instanceof AppError) {
    return sendProblem(reply, problem(error.status, error.kind, error.title, error.message, error.errors));
  }
  switch (error.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return sendProblem(reply, problem(400, 'malformed-json', 'Malformed JSON', error.message, [{ pointer: '/', detail: error.message }]));
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return sendProblem(reply, problem(413, 'too-large', 'Request body too large', 'the request body exceeds the limit of 1 MiB'));
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return sendProblem(
        reply,
        problem(415, 'unsupported-media-type', 'Unsupported media type', 'send JSON: Content-Type application/json (or application/merge-patch+json for PATCH)'),
      );
  }
  if (error instanceof SyntaxError || (error as { type?: string }).type === 'entity.parse.failed') {
    return sendProblem(reply, problem(400, 'malformed-json', 'Malformed JSON', error.message, [{ pointer: '/', detail: error.message }]));
  }
  const status = error.statusCode ?? 500;
  if (status >= 400 && status < 500 && !isResponseSerializationError(error as never)) {
    return sendProblem(reply, problem(status, 'client-error', 'Bad request', error.message || `request refused (${status})`));
  }
  request.log.error({ err: error }, 'unexpected error');
  return sendProblem(reply, problem(500, 'internal', 'Internal error', 'something went wrong on our side; the request was not applied'));
}

export function handleNotFound(request: FastifyRequest, reply: FastifyReply): FastifyReply {
  return sendProblem(reply, problem(404, 'not-found', 'Not found', `no route ${request.method} ${request.url.split('?')[0]}`));
}
