/** Small builders for listening tests. */
import type { InputMessage } from '../../../src/domain/listening/index.ts';

export const agent = (text: string, author?: string): InputMessage => (author === undefined ? { role: 'agent', text } : { role: 'agent', text, author });
export const customer = (text: string): InputMessage => ({ role: 'customer', text });
export const system = (text: string): InputMessage => ({ role: 'system', text });
