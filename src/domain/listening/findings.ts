/**
 * Conversation findings, each with the messages and words that prove it:
 * a sales ask after a refusal, a sensitive request without consent, a cancel request met
 * with offers instead of a cancellation, and a customer question left unanswered.
 */
import { contentStems } from './features.ts';
import { has, hitOf, type LabelledMessage } from './labelling.ts';
import type { Finding, Label, Span } from './types.ts';

const QUOTE_MAX = 120;

function quote(m: LabelledMessage, label: Label): string {
  const hit = hitOf(m, label);
  const text = m.lexed?.text ?? '';
  const s = hit === undefined ? text : text.slice(hit.start, hit.end);
  const oneLine = s.replace(/\s+/g, ' ').trim();
  return oneLine.length > QUOTE_MAX ? `${oneLine.slice(0, QUOTE_MAX - 1)}…` : oneLine;
}

function span(messages: readonly LabelledMessage[], index: number, label: Label): Span {
  const hit = messages[index] === undefined ? undefined : hitOf(messages[index], label);
  return hit === undefined ? { message: index, start: 0, end: 0 } : { message: index, start: hit.start, end: hit.end };
}

function pair(messages: readonly LabelledMessage[], type: Finding['type'], i: number, li: Label, j: number, lj: Label, evidence: string): Finding {
  return { type, messages: [i, j], spans: [span(messages, i, li), span(messages, j, lj)], evidence };
}

// A credit pull or application after "just an estimate" / "no" asks again for what was declined.
const CREDIT_PULL = /credit|pull|inquiry|enquiry|application|apply/i;

function quoteSpan(m: LabelledMessage, s: { start: number; end: number } | null): string {
  const text = m.lexed?.text ?? '';
  const oneLine = (s === null ? text : text.slice(s.start, s.end)).replace(/\s+/g, ' ').trim();
  return oneLine.length > QUOTE_MAX ? `${oneLine.slice(0, QUOTE_MAX - 1)}…` : oneLine;
}

/**
 * What makes an agent turn a push after a refusal: a sales ask; pressure to reconsider
 * ("Are you sure?"); or a credit pull / application demanded (not asked consent for) after the
 * customer declined it or limited the scope ("I just want a rough estimate").
 */
function pushOf(m: LabelledMessage, consentedSince: boolean): Label | 'pressure' | null {
  if (has(m, 'sales_ask')) return 'sales_ask';
  if (m.pressure !== undefined && m.pressure !== null) return 'pressure';
  const s = hitOf(m, 'sensitive_request');
  if (s !== undefined && !consentedSince && m.asksConsent !== true && CREDIT_PULL.test(m.lexed?.text ?? '')) return 'sensitive_request';
  return null;
}

/** Every finding in a labelled conversation, in message order. */
export function findFindings(messages: readonly LabelledMessage[]): Finding[] {
  const out: Finding[] = [];
  let lastRefusal = -1;
  let lastConsent = -1;
  let lastConsentRefused = -1;
  for (let j = 0; j < messages.length; j++) {
    const m = messages[j];
    if (m === undefined || m.lexed === null) continue;
    if (m.role === 'customer') {
      if (has(m, 'refusal') && m.firmRefusal !== false) lastRefusal = j;
      if (has(m, 'consent_given')) lastConsent = j;
      if (has(m, 'consent_refused')) lastConsentRefused = j;
      continue;
    }
    const r = lastRefusal >= 0 ? messages[lastRefusal] : undefined;
    if (r !== undefined) {
      const pushLabel = pushOf(m, lastConsent > lastRefusal);
      if (pushLabel !== null) {
        const said = pushLabel === 'pressure' ? quoteSpan(m, m.pressure ?? null) : quote(m, pushLabel);
        const f = pair(messages, 'push_after_refusal', lastRefusal, 'refusal', j, pushLabel === 'pressure' ? 'sales_ask' : pushLabel,
          `Customer declined ("${quote(r, 'refusal')}"), then the agent asked again ("${said}").`);
        if (pushLabel === 'pressure' && m.pressure) f.spans[1] = { message: j, start: m.pressure.start, end: m.pressure.end };
        out.push(f);
      }
    }
    if (has(m, 'sensitive_request')) {
      const consented = lastConsent > lastConsentRefused;
      const askingPermission = m.asksConsent === true && lastConsentRefused < 0;
      if (!consented && !askingPermission) {
        const refused = lastConsentRefused >= 0 ? messages[lastConsentRefused] : undefined;
        if (refused !== undefined) {
          out.push(pair(messages, 'sensitive_request_without_consent', lastConsentRefused, 'consent_refused', j, 'sensitive_request',
            `Customer withheld consent ("${quote(refused, 'consent_refused')}"), then the agent asked for "${quote(m, 'sensitive_request')}".`));
        } else {
          out.push({ type: 'sensitive_request_without_consent', messages: [j], spans: [span(messages, j, 'sensitive_request')],
            evidence: `The agent asked for "${quote(m, 'sensitive_request')}" without the customer's consent.` });
        }
      }
    }
  }
  out.push(...cancelFindings(messages));
  out.push(...unansweredQuestions(messages));
  return out.sort((a, b) => (a.messages[a.messages.length - 1] ?? 0) - (b.messages[b.messages.length - 1] ?? 0));
}

/**
 * A cancel request must end in a cancellation. One clarification or offer is tolerated when the
 * cancellation then follows; offers with no confirmation, or two offers, are not.
 */
function cancelFindings(messages: readonly LabelledMessage[]): Finding[] {
  const out: Finding[] = [];
  const first = messages.findIndex((m) => m.role === 'customer' && has(m, 'cancel_request'));
  if (first < 0) return out;
  const offers: number[] = [];
  let confirmed = false;
  for (let j = first + 1; j < messages.length; j++) {
    const m = messages[j];
    if (m === undefined || m.role !== 'agent') continue;
    if (has(m, 'cancel_confirmation')) {
      confirmed = true;
      break;
    }
    if (has(m, 'offer') || has(m, 'sales_ask')) offers.push(j);
  }
  const firstOffer = offers[0];
  const req = messages[first];
  if (firstOffer === undefined || req === undefined) return out;
  if (!confirmed || offers.length >= 2) {
    const at = confirmed ? (offers[1] ?? firstOffer) : firstOffer;
    const o = messages[at];
    if (o === undefined) return out;
    const label: Label = has(o, 'offer') ? 'offer' : 'sales_ask';
    out.push(pair(messages, 'cancel_not_honored', first, 'cancel_request', at, label,
      `Customer asked to cancel ("${quote(req, 'cancel_request')}"); the agent answered with an offer ("${quote(o, label)}")${confirmed ? ' more than once' : ' and no cancellation'}.`));
  }
  return out;
}

const ANSWER_OPENERS = new Set(['yes', 'no', 'yeah', 'yep', 'nope', 'sure', 'unfortunately', 'currently', 'because', 'it', 'we', 'you', 'there', 'this', 'that']);

/** An agent turn answers a question when it picks up its content words or answers yes/no. */
function answers(question: LabelledMessage, reply: LabelledMessage): boolean {
  if (question.lexed === null || reply.lexed === null) return false;
  const q = contentStems(question.lexed);
  const r = contentStems(reply.lexed);
  for (const s of q) if (r.has(s)) return true;
  const first = reply.lexed.info.find((t) => t.kind === 'word' && !t.norm.startsWith('@'));
  if (first !== undefined && ANSWER_OPENERS.has(first.norm)) return true;
  return /\d|https?:\/\//.test(reply.lexed.text);
}

/**
 * A customer question is unanswered when the agent spoke after it (up to the customer's next
 * question) and none of those turns answered it. A question still waiting for its first reply is
 * pending, not a finding.
 */
function unansweredQuestions(messages: readonly LabelledMessage[]): Finding[] {
  const out: Finding[] = [];
  for (let i = 0; i < messages.length; i++) {
    const q = messages[i];
    if (q === undefined || q.role !== 'customer' || !has(q, 'question')) continue;
    const replies: number[] = [];
    for (let j = i + 1; j < messages.length && replies.length < 3; j++) {
      const m = messages[j];
      if (m === undefined) continue;
      if (m.role === 'customer' && has(m, 'question') && replies.length > 0) break;
      if (m.role === 'agent') replies.push(j);
    }
    const firstReply = replies[0];
    if (firstReply === undefined) continue;
    if (replies.some((j) => { const r = messages[j]; return r !== undefined && answers(q, r); })) continue;
    const r = messages[firstReply];
    const replyText = (r?.lexed?.text ?? '').replace(/\s+/g, ' ').trim().slice(0, QUOTE_MAX);
    out.push({ type: 'unanswered_question', messages: [i, firstReply],
      spans: [span(messages, i, 'question'), { message: firstReply, start: 0, end: r?.lexed?.text.length ?? 0 }],
      evidence: `Customer asked "${quote(q, 'question')}"; the agent's reply ("${replyText}") does not answer it.` });
  }
  return out;
}

/**
 * Whether customer question `i` got an answer (for the score); null while no agent turn follows
 * it. `lastAgent` is the index of the conversation's last agent turn (-1: none), so callers
 * asking for every question do not rescan the rest of the conversation each time.
 */
export function questionAnswered(messages: readonly LabelledMessage[], i: number, findings: readonly Finding[], lastAgent = lastAgentIndex(messages)): boolean | null {
  if (lastAgent <= i) return null;
  return !findings.some((f) => f.type === 'unanswered_question' && f.messages[0] === i);
}

/** Index of the last agent turn, or -1. */
export function lastAgentIndex(messages: readonly LabelledMessage[]): number {
  for (let j = messages.length - 1; j >= 0; j--) if (messages[j]?.role === 'agent') return j;
  return -1;
}
