/**
 * `fairdesk charter check FILE` and `fairdesk charter schema`: the charter commands that need no
 * store, so an author can validate a charter (e.g. in CI) before publishing it.
 */
import { readFile } from 'node:fs/promises';
import { Command } from 'commander';
import { charterJsonSchema, parseCharter } from '../../domain/charter/parse.ts';

/** Where the commands write; tests pass their own. Exit status goes to `process.exitCode`. */
export interface CharterCliOutput {
  out(text: string): void;
  err(text: string): void;
}

const processOutput: CharterCliOutput = {
  out: (t) => void process.stdout.write(t),
  err: (t) => void process.stderr.write(t),
};

const count = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/**
 * `charter check FILE`: every error as `FILE:LINE:COLUMN: path: message` on stderr and exit 1;
 * a one-line summary on stdout and exit 0 when the charter is valid.
 */
export function charterCheckCommand(io: CharterCliOutput = processOutput): Command {
  return new Command('check')
    .description('Validate a charter file; prints every error with its line and column')
    .argument('<file>', 'the charter YAML file')
    .action(async (file: string) => {
      let text: string;
      try {
        text = await readFile(file, 'utf8');
      } catch (e) {
        io.err(`${file}: cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}\n`);
        process.exitCode = 1;
        return;
      }
      const result = parseCharter(text);
      if (!result.ok) {
        for (const e of result.errors) io.err(`${file}:${e.line}:${e.column}: ${e.path || '(document)'}: ${e.message}\n`);
        io.err(`${count(result.errors.length, 'error')}\n`);
        process.exitCode = 1;
        return;
      }
      const c = result.charter;
      const tiers = c.tiers.length ? ` (${c.tiers.map((t) => t.name).join(', ')})` : '';
      io.out(
        `${file}: valid — "${c.name}": ${count(c.severities.length, 'severity').replace('severitys', 'severities')}, ` +
          `${count(c.minimum.targets.length, 'minimum target')}, ${count(c.tiers.length, 'tier')}${tiers}; ` +
          `${c.businessHours.timeZone}, ${count(c.businessHours.holidays.length, 'holiday')}\n`,
      );
    });
}

/** `charter schema`: the charter's JSON Schema (draft 2020-12) for editors, on stdout. */
export function charterSchemaCommand(io: CharterCliOutput = processOutput): Command {
  return new Command('schema')
    .description('Print the JSON Schema (draft 2020-12) of charter files, for editors')
    .action(() => {
      io.out(`${JSON.stringify(charterJsonSchema(), null, 2)}\n`);
    });
}
