import { loadConfig, type Config, type ConfigFlags } from '../config.ts';

/** Loads configuration for a command, or prints every error and exits 1. */
export function configOrExit(flags: ConfigFlags): Config {
  const result = loadConfig(process.env, flags);
  if (result.ok) return result.config;
  process.stderr.write(`fairdesk: invalid configuration:\n${result.errors.map((e) => `  - ${e}`).join('\n')}\n`);
  process.exit(1);
}

/** Prints a failure the user can act on (no stack trace) and exits 1. */
export function fail(error: unknown): never {
  process.stderr.write(`fairdesk: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
