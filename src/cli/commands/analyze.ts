/**
 * `fairdesk analyze IN.jsonl [--out OUT.jsonl]` and `fairdesk analyze --report IN.jsonl --out report.html`:
 * listening analysis of transcripts, one conversation per line, streamed so large files work.
 */
import { createReadStream, createWriteStream, statSync } from 'node:fs';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { writeFile } from 'node:fs/promises';
import { Command } from 'commander';
import cliProgress from 'cli-progress';
import { analyzeConversation } from '../../domain/listening/index.ts';
import { parseConversationLine } from '../../domain/listening/transcript-line.ts';
import { renderReport, type ReportItem } from './analyze-report.ts';

export { InputLineError, parseConversationLine } from '../../domain/listening/transcript-line.ts';

interface AnalyzeOptions {
  out?: string;
  report?: boolean;
  progress?: boolean;
}

async function run(input: string, opts: AnalyzeOptions): Promise<void> {
  let size = 0;
  try {
    size = statSync(input).size;
  } catch {
    throw new Error(`cannot read ${input}`);
  }
  if (opts.report === true && opts.out === undefined) throw new Error('--report needs --out report.html');
  const showBar = opts.progress !== false;
  const bar = new cliProgress.SingleBar({ format: 'analyze |{bar}| {percentage}% · {conversations} conversations', stream: process.stderr, hideCursor: true }, cliProgress.Presets.shades_classic);
  if (showBar) bar.start(Math.max(1, size), 0, { conversations: 0 });
  const stream = createReadStream(input, { encoding: 'utf8' });
  const lines = createInterface({ input: stream, crlfDelay: Infinity });
  const out = opts.report === true ? null : opts.out !== undefined ? createWriteStream(opts.out, { encoding: 'utf8' }) : process.stdout;
  const report: ReportItem[] = [];
  let lineNo = 0;
  let bytes = 0;
  let count = 0;
  try {
    for await (const line of lines) {
      lineNo++;
      bytes += Buffer.byteLength(line, 'utf8') + 1;
      if (line.trim() === '') continue;
      const conv = parseConversationLine(line, lineNo);
      const analysis = analyzeConversation(conv);
      count++;
      if (out !== null) {
        // Respect back-pressure so memory stays flat on large inputs.
        if (!out.write(JSON.stringify(analysis) + '\n')) await once(out, 'drain');
      } else {
        report.push({ analysis, agents: conv.agents });
      }
      if (showBar && count % 50 === 0) bar.update(Math.min(size, bytes), { conversations: count });
    }
  } finally {
    if (showBar) {
      bar.update(Math.max(1, size), { conversations: count });
      bar.stop();
    }
  }
  if (opts.report === true && opts.out !== undefined) {
    await writeFile(opts.out, renderReport(report, input), 'utf8');
  } else if (out !== null && out !== process.stdout) {
    await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
  }
}

/** The `analyze` command (registered by the CLI's main). */
export function analyzeCommand(): Command {
  return new Command('analyze')
    .description('Listening analysis of transcripts (JSONL, one conversation per line): labels, findings, listening score')
    .argument('<in>', 'input JSONL file')
    .option('--out <file>', 'write results (or the report) to this file instead of stdout')
    .option('--report', 'write a self-contained HTML report (needs --out)')
    .option('--no-progress', 'no progress bar on stderr')
    .action(async (input: string, opts: AnalyzeOptions) => {
      try {
        await run(input, opts);
      } catch (err) {
        process.stderr.write(`fairdesk analyze: ${err instanceof Error ? err.message : String(err)}\n`);
        process.exitCode = 1;
      }
    });
}
