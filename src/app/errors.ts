/** One offending input field: a JSON pointer into the body, or the name of a query/path parameter. */
export interface FieldError {
  pointer?: string;
  parameter?: string;
  detail: string;
  /** For errors inside a document sent as text (a charter's YAML): 1-based line and column. */
  line?: number;
  column?: number;
}

/** Errors a use-case raises on purpose; the HTTP layer turns each into a problem+json answer. */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly kind: string,
    readonly title: string,
    detail: string,
    readonly errors: FieldError[] = [],
  ) {
    super(detail);
  }
}

export class NotFoundError extends AppError {
  constructor(entity: string, id: string) {
    super(404, 'not-found', 'Not found', `${entity} ${id} does not exist`);
  }
}

/** Well-formed input that breaks a rule (a reference to a missing record, a closed conversation…). */
export class UnprocessableError extends AppError {
  constructor(detail: string, errors: FieldError[] = []) {
    super(422, 'unprocessable', 'Unprocessable request', detail, errors);
  }
}

export class ConflictError extends AppError {
  constructor(detail: string, errors: FieldError[] = []) {
    super(409, 'conflict', 'Conflict', detail, errors);
  }
}

/** An offer a gate refuses: the problem names each failed gate and why (see docs/offers.md). */
export class OfferGateError extends AppError {
  constructor(gates: ReadonlyArray<{ gate: string; reasons: readonly string[] }>, pointer = '/productId') {
    const first = gates[0];
    super(
      422,
      'offer-gate-failed',
      'Refused by an offer gate',
      first ? `refused by the ${gates.map((g) => g.gate).join(', ')} gate${gates.length > 1 ? 's' : ''}: ${first.reasons.join('; ')}` : 'refused by an offer gate',
      gates.map((g) => ({ pointer, detail: `${g.gate}: ${g.reasons.join('; ')}` })),
    );
  }
}

/**
 * A credit inquiry (or other act that needs the customer's say-so) without a live consent for its
 * purpose: 422 `urn:fairdesk:problem:consent-required`, naming the field and the missing purpose.
 */
export class ConsentRequiredError extends AppError {
  constructor(
    readonly purpose: string,
    detail: string,
    pointer = '/kind',
  ) {
    super(422, 'consent-required', 'Consent required', detail, [{ pointer, detail: `needs a live ${purpose} consent` }]);
  }
}
