/** Fair offers: product fit, expected value from the customer's own use, the gates, outcomes and incentives net of harm. */
export * from './fit.ts';
export * from './target-market.ts';
export * from './expected-value.ts';
export * from './gates.ts';
export * from './outcomes.ts';
export * from './incentives.ts';
export * from './plan-change.ts';
