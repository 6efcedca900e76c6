/** The service charter's pure rules: the document, entitlements, business hours, SLA clocks, fair routing. */
export * from './schema.ts';
export * from './duration.ts';
export * from './parse.ts';
export * from './validate.ts';
export * from './business-hours.ts';
export * from './targets.ts';
export * from './money.ts';
export * from './entitlements.ts';
export * from './severity.ts';
export { targetsFor, slaStatus, type ConversationTargets, type SlaInput, type SlaState, type SlaStatus, type TargetState } from './sla.ts';
export * from './routing.ts';
export * from './repeat-contact.ts';
