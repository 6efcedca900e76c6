import { AppError } from '../app/errors.ts';
import { loadConfig, type Config, type ConfigFlags } from '../config.ts';

/** Loads configuration for a command, or prints every error and exits 1. */
export function configOrExit(flags: ConfigFlags): Config {
  const result = loadConfig(process.env, flags);
  if (result.ok) return result.config;
  process.stderr.write(`fairdesk: invalid configuration:\n${result.errors.map((e) => `  - ${e}`).join('\n')}\n`);
  process.exit(1);
}

/** Prints a failure the user can act on (no stack trace), with each field's problem, and exits 1. */
export function fail(error: unknown): never {
  process.stderr.write(`fairdesk: ${error instanceof Error ? error.message : String(error)}\n`);
  if (error instanceof AppError) for (const e of error.errors) process.stderr.write(`  - ${e.pointer ?? e.parameter ?? ''}${e.pointer || e.parameter ? ': ' : ''}${e.detail}\n`);
  process.exit(1);
}
