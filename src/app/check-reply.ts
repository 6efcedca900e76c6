import { checkDraftReply } from '../domain/listening/index.ts';
import { findConversation, listMessages } from '../db/repositories/conversations.ts';
import { NotFoundError } from './errors.ts';
import { inTenantTx, type TenantScope } from './scope.ts';

/** A finding that sending the draft would create; `"draft"` stands for the unsent reply. */
export interface DraftFinding {
  type: string;
  messageIds: string[];
  spans: Array<{ messageId: string; start: number; end: number }>;
  evidence: string;
}

export const DRAFT_ID = 'draft';

/**
 * Before harm, not only after: the findings an agent's draft reply would create if sent now — a
 * sales ask after a refusal, a sensitive request without consent, an offer after a cancel request.
 * Reads the conversation as the customer saw it (public messages) and stores nothing.
 */
export async function checkReply(scope: TenantScope, conversationId: string, draft: { text: string; author?: string | null | undefined }): Promise<DraftFinding[]> {
  const messages = await inTenantTx(scope, async (tx) => {
    const conversation = await findConversation(tx, scope.tenantId, conversationId);
    if (!conversation) throw new NotFoundError('conversation', conversationId);
    return (await listMessages(tx, scope.tenantId, conversationId)).filter((m) => m.visibility === 'public');
  });
  const findings = checkDraftReply(
    messages.map((m) => ({ role: m.role, text: m.text, ...(m.author_id ? { author: m.author_id } : {}) })),
    draft.text,
    draft.author ?? undefined,
  );
  const idAt = (index: number): string => messages[index]?.id ?? DRAFT_ID;
  return findings.map((f) => ({
    type: f.type,
    messageIds: f.messages.map(idAt),
    spans: f.spans.map((s) => ({ messageId: idAt(s.message), start: s.start, end: s.end })),
    evidence: f.evidence,
  }));
}
