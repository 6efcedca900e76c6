/** The analyzer's transcript format: one conversation per JSON line (`fairdesk analyze`, `fairdesk import transcripts`). */
import type { InputConversation, InputMessage } from './index.ts';

/** A line that is not a conversation: the command exits 1 naming it. */
export class InputLineError extends Error {
  constructor(readonly line: number, reason: string) {
    super(`line ${line}: ${reason}`);
  }
}

/** Parse one input line into a conversation, reading only id, role, text and author. */
export function parseConversationLine(line: string, lineNo: number): InputConversation & { agents: string[] } {
  let row: unknown;
  try {
    row = JSON.parse(line);
  } catch {
    throw new InputLineError(lineNo, 'not valid JSON');
  }
  if (row === null || typeof row !== 'object' || !Array.isArray((row as { messages?: unknown }).messages)) {
    throw new InputLineError(lineNo, 'expected an object with a "messages" array');
  }
  const r = row as { id?: unknown; messages: unknown[] };
  const agents: string[] = [];
  const messages: InputMessage[] = r.messages.map((m, i) => {
    if (m === null || typeof m !== 'object') throw new InputLineError(lineNo, `messages[${i}] is not an object`);
    const o = m as { role?: unknown; text?: unknown; author?: unknown };
    if (o.role !== 'customer' && o.role !== 'agent' && o.role !== 'system') {
      throw new InputLineError(lineNo, `messages[${i}].role must be customer, agent or system`);
    }
    if (o.text !== undefined && o.text !== null && typeof o.text !== 'string') throw new InputLineError(lineNo, `messages[${i}].text must be a string`);
    const msg: InputMessage = { role: o.role, text: typeof o.text === 'string' ? o.text : '' };
    if (typeof o.author === 'string') {
      msg.author = o.author;
      if (o.role === 'agent') agents.push(o.author);
    }
    return msg;
  });
  const conv: InputConversation & { agents: string[] } = { messages, agents };
  if (typeof r.id === 'string') conv.id = r.id;
  else if (typeof r.id === 'number') conv.id = String(r.id);
  return conv;
}

