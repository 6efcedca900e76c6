/** Run `fairdesk analyze` without the full CLI: `npx tsx scripts/listening/analyze-cli.ts IN.jsonl [--out …] [--report]`. */
import { analyzeCommand } from '../../src/cli/commands/analyze.ts';

await analyzeCommand().parseAsync(process.argv.slice(2), { from: 'user' });
