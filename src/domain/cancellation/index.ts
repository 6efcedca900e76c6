/** Fair cancellation, pure domain layer: data in, data out, no I/O. */
export * from './types.ts';
export * from './period.ts';
export * from './machine.ts';
export * from './what-may-be-shown.ts';
export * from './billing-rules.ts';
export * from './copy-deny-list.ts';
export * from './copy-lint.ts';
