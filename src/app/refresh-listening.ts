import { analyzeConversation, type ConversationAnalysis } from '../domain/listening/index.ts';
import { listMessages, setMessageLabels, updateConversation } from '../db/repositories/conversations.ts';
import type { ConversationRow, MessageRow } from '../db/schema.ts';
import type { Tx } from '../db/with-tenant.ts';

/** The listening analysis as stored on a conversation: findings point at message ids, not indices. */
export interface StoredListening {
  listeningScore: number;
  components: Record<string, number | null>;
  findings: Array<{
    type: string;
    messageIds: string[];
    spans: Array<{ messageId: string; start: number; end: number }>;
    evidence: string;
  }>;
}

/**
 * Re-analyses the conversation as the customer sees it (internal notes are not part of what was
 * said) and stores the labels and findings in the caller's transaction. The analysis is pure and
 * caches per message, so running it on every message costs a few milliseconds.
 */
export async function refreshListening(tx: Tx, tenantId: string, conversation: ConversationRow): Promise<ConversationRow> {
  const { listening, changed } = analyseListening(conversation.id, await listMessages(tx, tenantId, conversation.id));
  await setMessageLabels(tx, tenantId, changed);
  return updateConversation(tx, tenantId, conversation.id, {
    listening: JSON.stringify(listening),
  });
}

/**
 * The analysis of a conversation's messages (all of them, in id order) without I/O: what to store on
 * the conversation, and the public messages whose labels change (the importers run this on a batch's
 * messages before they are written).
 */
export function analyseListening(
  conversationId: string,
  all: ReadonlyArray<Pick<MessageRow, 'id' | 'role' | 'text' | 'author_id' | 'visibility' | 'labels'>>,
): { listening: StoredListening; changed: Array<{ id: string; labels: string[] }> } {
  const spoken = all.filter((m) => m.visibility === 'public');
  const analysis = analyzeConversation({
    id: conversationId,
    messages: spoken.map((m) => ({ role: m.role, text: m.text, ...(m.author_id ? { author: m.author_id } : {}) })),
  });
  const changed = spoken
    .map((m, i) => ({ id: m.id, labels: [...(analysis.messages[i]?.labels ?? [])], before: m.labels }))
    .filter((m) => !sameLabels(m.before, m.labels))
    .map(({ id, labels }) => ({ id, labels }));
  return { listening: toStored(analysis, spoken), changed };
}

function toStored(analysis: ConversationAnalysis, messages: ReadonlyArray<Pick<MessageRow, 'id'>>): StoredListening {
  const idAt = (index: number): string => messages[index]?.id ?? '';
  return {
    listeningScore: analysis.listeningScore,
    components: { ...analysis.components },
    findings: analysis.findings.map((f) => ({
      type: f.type,
      messageIds: f.messages.map(idAt),
      spans: f.spans.map((s) => ({ messageId: idAt(s.message), start: s.start, end: s.end })),
      evidence: f.evidence,
    })),
  };
}

function sameLabels(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((label, i) => label === b[i]);
}
