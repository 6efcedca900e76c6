/**
 * The analyzer, bound to a model: `createAnalyzer(model)` is used by training and evaluation
 * with fold models; the package's default analyzer uses the committed `model.json`.
 */
import { findFindings } from './findings.ts';
import { labelMessages, type LabelHit } from './labelling.ts';
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

/** The distinct labels of a message's hits, in LABEL_ORDER (without a Set per message). */
function orderedLabels(hits: readonly LabelHit[]): Label[] {
  const out: Label[] = [];
  if (hits.length === 0) return out;
  for (const l of LABEL_ORDER) {
    for (let i = 0; i < hits.length; i++) {
      if ((hits[i] as LabelHit).label === l) {
        out.push(l);
        break;
      }
    }
  }
  return out;
}

export function createAnalyzer(model: ListeningModel): Analyzer {
  function analyzeConversation(input: InputConversation): ConversationAnalysis {
    const messages = Array.isArray(input.messages) ? input.messages : [];
    const labelled = labelMessages(messages, model);
    const findings = findFindings(labelled);
    const { score, components } = listeningScore(labelled, findings);
    return {
      id: typeof input.id === 'string' ? input.id : null,
      messages: labelled.map((m) => ({ labels: orderedLabels(m.hits) })),
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
