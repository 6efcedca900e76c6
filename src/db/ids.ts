import { randomBytes } from 'node:crypto';

let lastMs = 0;
let sequence = 0;

/**
 * A UUID version 7: time-ordered, so ids sort by creation and serve as pagination cursors, and
 * index inserts stay at the right-hand edge of the B-tree. Monotonic within this process: ids made
 * in the same millisecond carry a 12-bit counter, so messages keep the order they were written in.
 */
export function newId(now: number = Date.now()): string {
  if (now > lastMs) {
    lastMs = now;
    sequence = randomBytes(2).readUInt16BE(0) & 0x3ff; // start low, leaving room to count up
  } else if (++sequence > 0xfff) {
    lastMs += 1; // borrow the next millisecond rather than repeat an order
    sequence = 0;
  }
  const bytes = randomBytes(16);
  bytes.writeUIntBE(lastMs, 0, 6);
  bytes[6] = 0x70 | (sequence >> 8);
  bytes[7] = sequence & 0xff;
  bytes[8] = 0x80 | (bytes[8]! & 0x3f);
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
