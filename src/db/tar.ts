/**
 * A minimal ustar archive of regular files, enough for a backup file that `tar -tf` can list and
 * `tar -xf` can unpack: a 512-byte header per file, the contents padded to 512 bytes, two zero
 * blocks at the end. Names must be under 100 bytes (ours are a handful of fixed names).
 */
export interface TarEntry {
  name: string;
  data: Uint8Array;
  mode?: number;
}

const BLOCK = 512;

export function writeTar(entries: TarEntry[], mtime = new Date()): Buffer {
  const parts: Buffer[] = [];
  for (const entry of entries) {
    if (Buffer.byteLength(entry.name) >= 100) throw new Error(`tar: name too long: ${entry.name}`);
    const header = Buffer.alloc(BLOCK);
    header.write(entry.name, 0, 'utf8');
    header.write(octal(entry.mode ?? 0o600, 8), 100);
    header.write(octal(0, 8), 108);
    header.write(octal(0, 8), 116);
    header.write(octal(entry.data.byteLength, 12), 124);
    header.write(octal(Math.floor(mtime.getTime() / 1000), 12), 136);
    header.write('        ', 148); // the checksum counts its own field as spaces
    header.write('0', 156);
    header.write('ustar\u000000', 257, 'binary');
    let sum = 0;
    for (const byte of header) sum += byte;
    header.write(`${sum.toString(8).padStart(6, '0')}\u0000 `, 148, 'binary');
    parts.push(header, Buffer.from(entry.data.buffer, entry.data.byteOffset, entry.data.byteLength));
    const pad = (BLOCK - (entry.data.byteLength % BLOCK)) % BLOCK;
    if (pad) parts.push(Buffer.alloc(pad));
  }
  parts.push(Buffer.alloc(BLOCK * 2));
  return Buffer.concat(parts);
}

/** Reads the regular files of a ustar archive; throws on a damaged header. */
export function readTar(archive: Buffer): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  let offset = 0;
  while (offset + BLOCK <= archive.length) {
    const header = archive.subarray(offset, offset + BLOCK);
    if (header.every((b) => b === 0)) break;
    const stored = parseInt(header.subarray(148, 156).toString('binary').replace(/[\0 ]/g, ''), 8);
    let sum = 0;
    for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 32 : header[i]!;
    if (stored !== sum) throw new Error(`not a backup file (damaged archive header at byte ${offset})`);
    const name = header.subarray(0, 100).toString('utf8').replace(/\0.*$/s, '');
    const size = parseInt(header.subarray(124, 136).toString('binary').replace(/[\0 ]/g, '') || '0', 8);
    const type = String.fromCharCode(header[156]!);
    offset += BLOCK;
    if (offset + size > archive.length) throw new Error(`truncated backup file (${name} is cut short)`);
    if (type === '0' || type === '\0') files.set(name, archive.subarray(offset, offset + size));
    offset += Math.ceil(size / BLOCK) * BLOCK;
  }
  return files;
}

function octal(value: number, width: number): string {
  return `${value.toString(8).padStart(width - 1, '0')}\u0000`;
}
