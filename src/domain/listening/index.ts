/**
 * Active listening analysis (issue 3): labels per message, findings with evidence, and a
 * listening score for the agent. Pure: no I/O beyond the committed weights and wink's model.
 *
 * @example
 *   analyzeConversation({ id: 'c1', messages: [
 *     { role: 'agent', text: 'Would you like to upgrade?' },
 *     { role: 'customer', text: 'No thanks, not now.' },
 *     { role: 'agent', text: 'Are you sure? It is only $5 more.' } ] })
 *   // → findings: [{ type: 'push_after_refusal', messages: [1, 2], … }]
 */
import { createAnalyzer, type Analyzer } from './analyzer.ts';
import type { ListeningModel } from './model.ts';
import defaultModelJson from './model.json' with { type: 'json' };
import type { ConversationAnalysis, Finding, InputConversation, InputMessage } from './types.ts';

export * from './types.ts';
export { createAnalyzer, type Analyzer } from './analyzer.ts';
export type { ListeningModel, LabelModel } from './model.ts';
export { SCORE_WEIGHTS } from './score.ts';
import { clearLexCache } from './nlp.ts';
import { clearFeatureCache } from './features.ts';
import { clearCompiledCaches } from './model.ts';
import { clearRuleCaches } from './rules.ts';

/** Drop the per-text caches (for benchmarks that must measure cold analysis). */
export function clearListeningCaches(): void {
  clearLexCache();
  clearFeatureCache();
  clearCompiledCaches(defaultModel);
  clearRuleCaches();
}

/** The committed model (see docs/model-card.md). */
export const defaultModel: ListeningModel = defaultModelJson as ListeningModel;

let analyzer: Analyzer | null = null;
const getAnalyzer = (): Analyzer => (analyzer ??= createAnalyzer(defaultModel));

/** Analyse one conversation: `messages[i]` of the result belongs to `input.messages[i]`. */
export function analyzeConversation(input: InputConversation): ConversationAnalysis {
  return getAnalyzer().analyzeConversation(input);
}

/**
 * The findings that sending `draftText` as the next agent message would newly create
 * (a sales ask after a refusal, a sensitive request without consent, an offer after a cancel
 * request, a reply that leaves the customer's question unanswered). Fast enough to run as the
 * agent types: per-message work is cached by text.
 */
export function checkDraftReply(messages: readonly InputMessage[], draftText: string, author?: string): Finding[] {
  return getAnalyzer().checkDraftReply(messages, draftText, author);
}
