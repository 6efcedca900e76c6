/**
 * Streaming readers for import files: JSON arrays (stream-json), JSON Lines (readline) and CSV
 * (csv-parse). None holds more than one record in memory; each counts the bytes it has read so the
 * CLI can draw a progress bar.
 */
import { createReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { pipeline, type Readable } from 'node:stream';
import { parse as parseCsv } from 'csv-parse';
import parser from 'stream-json';
import { pick } from 'stream-json/filters/pick.js';
import { streamArray } from 'stream-json/streamers/stream-array.js';

/** Bytes read so far across the files of one import. */
export class ByteCounter {
  bytes = 0;
  open(path: string): Readable {
    const stream = createReadStream(path);
    stream.on('data', (chunk) => (this.bytes += chunk.length));
    return stream;
  }
}

/** The files of a folder, in name order (hidden files left out). */
export async function folderFiles(dir: string): Promise<string[]> {
  const names = (await readdir(dir)).filter((n) => !n.startsWith('.')).sort();
  const files: string[] = [];
  for (const name of names) if ((await stat(join(dir, name))).isFile()) files.push(join(dir, name));
  return files;
}

/** A file that cannot be read as its format says: the import stops, naming the file and the place. */
export class UnreadableFileError extends Error {}

/**
 * The elements of one array: the top-level array itself (`key` null) or the array under a top-level
 * key (`{"users": [...]}`, as Zendesk's list endpoints answer). A missing key yields nothing.
 */
export async function* jsonArray(counter: ByteCounter, path: string, key: string | null): AsyncGenerator<{ index: number; value: unknown }> {
  // Packed values only (no string/number chunk tokens): what pick and streamArray read, half the parsing time.
  const stages: NodeJS.ReadWriteStream[] = [parser({ streamValues: false })];
  if (key !== null) stages.push(pick.asStream({ filter: key }));
  stages.push(streamArray.asStream());
  const stream = (pipeline as (...s: unknown[]) => Readable)(counter.open(path), ...stages, () => {});
  try {
    for await (const item of stream as AsyncIterable<{ key: number; value: unknown }>) yield { index: item.key, value: item.value };
  } catch (error) {
    throw new UnreadableFileError(`${path}: not valid JSON (${error instanceof Error ? error.message : String(error)})`);
  }
}

/** The lines of a JSON Lines file, parsed; a line that is not JSON is yielded as `{ error }` (that record is rejected). */
export async function* jsonLines(counter: ByteCounter, path: string): AsyncGenerator<{ line: number; value: unknown; error?: string }> {
  const lines = createInterface({ input: counter.open(path), crlfDelay: Infinity });
  let line = 0;
  for await (const text of lines) {
    line++;
    if (text.trim() === '') continue;
    try {
      yield { line, value: JSON.parse(text) as unknown };
    } catch {
      yield { line, value: null, error: 'not valid JSON' };
    }
  }
}

/**
 * The rows of a CSV file with a header row, as objects keyed by column name; `row` is the line
 * number as a spreadsheet shows it (the header is row 1). Quoted fields may span lines.
 */
export async function* csvRows(counter: ByteCounter, path: string): AsyncGenerator<{ row: number; columns: string[]; value: Record<string, string> }> {
  let columns: string[] = [];
  const csv = counter.open(path).pipe(
    parseCsv({
      bom: true,
      columns: (header: string[]) => (columns = header.map((h) => h.trim().toLowerCase())),
      skip_empty_lines: true,
      relax_column_count: true,
      trim: true,
      info: true,
    }),
  );
  try {
    for await (const item of csv as AsyncIterable<{ record: Record<string, string>; info: { lines: number } }>) {
      yield { row: item.info.lines, columns, value: item.record };
    }
  } catch (error) {
    throw new UnreadableFileError(`${path}: not valid CSV (${error instanceof Error ? error.message : String(error)})`);
  }
}

/** Reads a CSV or JSONL file of flat records by its extension (`.csv`, else JSON Lines). */
export async function* flatRecords(counter: ByteCounter, path: string): AsyncGenerator<{ ref: string; value: unknown; error?: string }> {
  if (/\.csv$/i.test(path)) {
    for await (const r of csvRows(counter, path)) yield { ref: `row ${r.row}`, value: r.value };
  } else {
    for await (const l of jsonLines(counter, path)) yield { ref: `line ${l.line}`, value: l.value, ...(l.error ? { error: l.error } : {}) };
  }
}
