/**
 * Public types and name constants of the listening analysis.
 * The output shape is pinned by `schemas/listening-output.schema.json`.
 */

/** Labels the analyzer may put on a customer message. */
export const CUSTOMER_LABELS = [
  'refusal',
  'cancel_request',
  'consent_given',
  'consent_refused',
  'constraint',
  'complaint',
  'question',
] as const;

/** Labels the analyzer may put on an agent message. */
export const AGENT_LABELS = [
  'sales_ask',
  'reflection',
  'question',
  'acknowledgement',
  'sensitive_request',
  'offer',
  'cancel_confirmation',
] as const;

export type CustomerLabel = (typeof CUSTOMER_LABELS)[number];
export type AgentLabel = (typeof AGENT_LABELS)[number];
export type Label = CustomerLabel | AgentLabel;

/** Every label name, in a stable order (for schemas, reports and tests). */
export const LABELS: readonly Label[] = Array.from(new Set<Label>([...CUSTOMER_LABELS, ...AGENT_LABELS]));

/** Conversation-level findings: each one points at the messages and words that prove it. */
export const FINDING_TYPES = [
  'push_after_refusal',
  'sensitive_request_without_consent',
  'cancel_not_honored',
  'unanswered_question',
] as const;
export type FindingType = (typeof FINDING_TYPES)[number];

export type Role = 'customer' | 'agent' | 'system';

/** One input message. Any other keys (e.g. `gold`, `raw`, `at`) are ignored and never read. */
export interface InputMessage {
  role: Role;
  text: string;
  author?: string;
}

/** One input conversation, as in `../shared/data` or `fairdesk analyze` input lines. */
export interface InputConversation {
  id?: string;
  messages: readonly InputMessage[];
}

/** Character offsets into the text of message `message` (0-based, end exclusive). */
export interface Span {
  message: number;
  start: number;
  end: number;
}

export interface Finding {
  type: FindingType;
  /** Indices of the messages involved, in conversation order. */
  messages: number[];
  /** The words that show it, as offsets into those messages. */
  spans: Span[];
  /** A one-line human explanation quoting the words. */
  evidence: string;
}

/**
 * Parts of the listening score, each in 0..1 (1 = listened well), or `null` when the
 * conversation gave no occasion for it (e.g. no refusal to respect). Only non-null parts
 * count towards the score.
 */
export interface ListeningComponents {
  /** Agent turns that reflect (restate/paraphrase) the customer, per customer turn, saturating. */
  reflection: number | null;
  /** Agent turns that ask the customer something, saturating. */
  question: number | null;
  /** Agent turns that acknowledge, thank, apologise or empathise, saturating. */
  acknowledgement: number | null;
  /** Share of customer questions the agent answered. */
  answeredQuestions: number | null;
  /** Share of customer refusals not followed by another sales ask. */
  respectedRefusals: number | null;
  /** Share of limits (constraints, cancel requests, withheld consent) the agent respected. */
  respectedLimits: number | null;
  /** Share of agent turns that tell or sell rather than listen (lower is better; scored as 1 − share). */
  lecturing: number | null;
  /** MITI %OQ: share of the agent's questions that are open ("What …", "How …", "Tell me …"). */
  openQuestions: number | null;
  /** MITI R:Q: reflections relative to questions (1 when reflections at least match questions). */
  reflectionToQuestion: number | null;
  /** MITI %CR: share of reflections that add meaning (mostly words the customer did not use). */
  complexReflections: number | null;
  /** MI non-adherent share of agent turns: advice without permission, warnings, confrontation (lower is better; scored as 1 − share). */
  advising: number | null;
  /** Share of agent turns that defer or redirect ("DM us", "we will contact you", "sorry for the inconvenience") instead of engaging now (lower is better; scored as 1 − share). */
  deferral: number | null;
}

export interface MessageAnalysis {
  labels: Label[];
}

export interface ConversationAnalysis {
  id: string | null;
  messages: MessageAnalysis[];
  findings: Finding[];
  /** 0..100, integer; the agent's listening, never the customer's mood. */
  listeningScore: number;
  components: ListeningComponents;
}
