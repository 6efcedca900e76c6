/**
 * The analyzer, bound to a model: `createAnalyzer(model)` is used by training and evaluation
 * with fold models; the package's default analyzer uses the committed `model.json`.
 */
import { findFindings } from './findings.ts';
import { labelMessages } from './labelling.ts';
import type { ListeningModel } from './model.ts';
import { listeningScore } from './score.ts';
import type { ConversationAnalysis, Finding, InputConversation, InputMessage, Label } from './types.ts';

export interface Analyzer {
  analyzeConversation(input: InputConversation): ConversationAnalysis;
  checkDraftReply(messages: readonly InputMessage[], draftText: string, author?: string): Finding[];
}

const LABEL_ORDER: readonly Label[] = [
  'refusal', 'cancel_request', 'consent_given', 'consent_refused', 'constraint', 'complaint',
  'sales_ask', 'offer', 'sensitive_request', 'reflection', 'question', 'acknowledgement', 'cancel_confirmation',
];

export function createAnalyzer(model: ListeningModel): Analyzer {
  function analyzeConversation(input: InputConversation): ConversationAnalysis {
    const messages = Array.isArray(input.messages) ? input.messages : [];
    const labelled = labelMessages(messages, model);
    const findings = findFindings(labelled);
    const { score, components } = listeningScore(labelled, findings);
    return {
      id: typeof input.id === 'string' ? input.id : null,
      messages: labelled.map((m) => {
        const set = new Set(m.hits.map((h) => h.label));
        return { labels: LABEL_ORDER.filter((l) => set.has(l)) };
      }),
      findings,
      listeningScore: score,
      components,
    };
  }

  function checkDraftReply(messages: readonly InputMessage[], draftText: string, author?: string): Finding[] {
    const draft: InputMessage = author === undefined ? { role: 'agent', text: draftText } : { role: 'agent', text: draftText, author };
    const all = [...messages, draft];
    const at = all.length - 1;
    return findFindings(labelMessages(all, model)).filter((f) => f.messages.includes(at));
  }

  return { analyzeConversation, checkDraftReply };
}
