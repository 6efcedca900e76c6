/**
 * The listening score: 0–100 from the agent's behaviour only (reflections, questions,
 * acknowledgements, answered questions, respected refusals and limits, not lecturing).
 * The customer's mood is never an input.
 *
 * Besides the helpdesk components it uses the MITI 4 summary scores of motivational
 * interviewing (Moyers et al. 2016): reflection-to-question ratio, % open questions, % complex
 * reflections, and MI non-adherent talk (advice without permission, confrontation).
 */
import { contentStems } from './features.ts';
import { CUE_INDEX, cueFamilyIds } from './lexicons.ts';
import { has, type LabelledMessage } from './labelling.ts';
import { lastAgentIndex, questionAnswered } from './findings.ts';
import type { Lexed } from './nlp.ts';
import type { Finding, ListeningComponents } from './types.ts';

/** Weights of the components in the score (a weighted mean over the non-null ones). */
export const SCORE_WEIGHTS: Readonly<Record<keyof ListeningComponents, number>> = {
  reflection: 1,
  question: 0.5,
  acknowledgement: 0.5,
  answeredQuestions: 1,
  respectedRefusals: 1,
  respectedLimits: 1,
  openQuestions: 1,
  reflectionToQuestion: 1,
  complexReflections: 0.5,
  advising: 3,
  lecturing: 3,
  deferral: 5,
};

/** Components where a higher share is worse: they enter the score as 1 − share. */
const INVERTED: ReadonlySet<keyof ListeningComponents> = new Set(['lecturing', 'deferral', 'advising']);

const OPENERS: ReadonlySet<string> = new Set(['what', 'how', 'why', 'where', 'when', 'who', 'which', 'tell', 'describe', 'wonder', 'wondering', 'curious']);
const FILLERS: ReadonlySet<string> = new Set(['okay', 'ok', 'so', 'um', 'uh', 'well', 'and', 'but', 'yeah', 'right', 'alright', 'mm-hmm', 'now', 'oh', 'hmm', 'great', 'good', 'sure', 'i', 'am', 'just', 'me', 'can', 'you', 'could']);

/** An open question: some sentence opens (after fillers) with what/how/why/… or "tell me"/"I wonder". */
function isOpenQuestion(lexed: Lexed): boolean {
  for (const [a, b] of lexed.sentences) {
    for (let i = a; i <= b; i++) {
      const t = lexed.info[i];
      if (t === undefined || t.kind !== 'word') continue;
      if (OPENERS.has(t.norm)) return true;
      if (!FILLERS.has(t.norm)) break;
    }
  }
  return false;
}

// Asking before advising keeps advice MI-adherent ("Would it be OK if I shared …?", "If you'd like …").
const PERMISSION = / (?:would it be (?:ok|okay|alright|all right)|is it (?:ok|okay|alright) if|may i|can i (?:share|tell|give|offer|suggest)|would you like (?:me|some|to hear)|do you mind if|would you be interested in|if you would like|if you want)(?= )/;

// Template deferrals: the agent moves the customer elsewhere or promises later action.
const DEFERRAL = /private message|direct message|\bDMs?\b|contact you|get back to you|verif|inconvenience|we will (?:check|look|forward|report|contact)|reported|forward(?:ed)? (?:it|this|your)|technician|relevant department|follow up/i;
// Apologies are counted as acknowledgement labels but not as listening: they are often boilerplate.
const APOLOGY = /sorry|apolog|inconvenience/i;

// Cue family indices (lexicons.ts), compared without building the names per turn.
const ADVISE = CUE_INDEX.advise as number;
const CONFRONT = CUE_INDEX.confront as number;

const clamp01 = (x: number): number => (x < 0 ? 0 : x > 1 ? 1 : x);
const round3 = (x: number): number => Math.round(x * 1000) / 1000;

/**
 * Reflections that add meaning (MITI complex reflections), approximated as reflections whose
 * content words are mostly not the customer's last words: a paraphrase or a guess at meaning
 * rather than a repetition.
 */
function complexShare(messages: readonly LabelledMessage[]): number {
  let prevCustomer: Lexed | null = null;
  let n = 0;
  for (const m of messages) {
    if (m.lexed === null) continue;
    if (m.role === 'customer') prevCustomer = m.lexed;
    else if (m.role === 'agent' && has(m, 'reflection')) {
      const mine = contentStems(m.lexed);
      if (mine.size === 0) continue;
      const theirs = prevCustomer === null ? new Set<string>() : contentStems(prevCustomer);
      let shared = 0;
      for (const s of mine) if (theirs.has(s)) shared++;
      if (shared / mine.size < 0.5) n++;
    }
  }
  return n;
}

/** Score and components of a labelled conversation. */
export function listeningScore(messages: readonly LabelledMessage[], findings: readonly Finding[]): { score: number; components: ListeningComponents } {
  const agent = messages.filter((m) => m.role === 'agent' && m.lexed !== null && m.lexed.n > 0);
  const customer = messages.filter((m) => m.role === 'customer' && m.lexed !== null && m.lexed.n > 0);
  const components: ListeningComponents = {
    reflection: null,
    question: null,
    acknowledgement: null,
    answeredQuestions: null,
    respectedRefusals: null,
    respectedLimits: null,
    openQuestions: null,
    reflectionToQuestion: null,
    complexReflections: null,
    advising: null,
    lecturing: null,
    deferral: null,
  };
  if (agent.length > 0) {
    const n = agent.length;
    const count = (label: Parameters<typeof has>[1]): number => agent.filter((m) => has(m, label)).length;
    if (customer.length > 0) components.reflection = round3(clamp01(count('reflection') / Math.max(1, Math.min(customer.length, n)) / 0.5));
    // A sales ask ("How much would you like to donate?") asks for a commitment, not for the
    // customer's view: it earns no question credit (question share, % open, R:Q).
    const questions = agent.filter((m) => has(m, 'question') && !has(m, 'sales_ask'));
    components.question = round3(clamp01(questions.length / n / 0.4));
    const acks = agent.filter((m) => has(m, 'acknowledgement') && !APOLOGY.test(m.lexed?.text ?? '')).length;
    components.acknowledgement = round3(clamp01(acks / n / 0.5));
    components.deferral = round3(agent.filter((m) => DEFERRAL.test(m.lexed?.text ?? '')).length / n);
    // Long turns that neither reflect, ask nor acknowledge: the agent is telling or selling.
    const telling = agent.filter((m) => {
      let words = 0;
      if (m.lexed) for (const t of m.lexed.info) if (t.kind === 'word') words++;
      return (words >= 25 && !has(m, 'reflection') && !has(m, 'question')) || has(m, 'sales_ask') || has(m, 'offer');
    }).length;
    components.lecturing = round3(telling / n);
    const reflections = agent.filter((m) => has(m, 'reflection'));
    if (questions.length > 0) components.openQuestions = round3(questions.filter((m) => m.lexed !== null && isOpenQuestion(m.lexed)).length / questions.length);
    // MITI: R:Q of 1 is basic competence, so the component saturates there.
    if (questions.length + reflections.length > 0) components.reflectionToQuestion = round3(clamp01(reflections.length / Math.max(1, questions.length)));
    if (reflections.length > 0) components.complexReflections = round3(complexShare(messages) / reflections.length);
    // Asking again after a no is persuasion without permission (MI non-adherent) too.
    const pushed = new Set(findings.filter((f) => f.type === 'push_after_refusal').map((f) => messages[f.messages[f.messages.length - 1] ?? -1]));
    const advising = agent.filter((m) => {
      if (m.lexed === null) return false;
      if (pushed.has(m)) return true;
      const cues = cueFamilyIds(m.lexed);
      // A confrontation stays one even when phrased as a reflection; advice inside a reflection
      // ("you feel you should …") is the customer's, not the agent's. With the trained advice
      // model (information and advice turns), its reading replaces the advice cue phrases.
      const advised = m.advice !== undefined ? m.advice : cues.includes(ADVISE) && !has(m, 'reflection');
      const adv = cues.includes(CONFRONT) || advised;
      return adv && !PERMISSION.test(` ${m.lexed.normText} `);
    }).length;
    components.advising = round3(advising / n);
  }
  let asked = 0;
  let answered = 0;
  const lastAgent = lastAgentIndex(messages);
  messages.forEach((m, i) => {
    if (m.role !== 'customer' || !has(m, 'question')) return;
    const a = questionAnswered(messages, i, findings, lastAgent);
    if (a === null) return;
    asked++;
    if (a) answered++;
  });
  if (asked > 0) components.answeredQuestions = round3(answered / asked);
  const refusals = customer.filter((m) => has(m, 'refusal')).length;
  if (refusals > 0) {
    const pushes = findings.filter((f) => f.type === 'push_after_refusal').length;
    components.respectedRefusals = round3(clamp01(1 - pushes / refusals));
  }
  const limits = customer.filter((m) => has(m, 'cancel_request') || has(m, 'consent_refused') || has(m, 'constraint')).length;
  if (limits > 0) {
    const broken = findings.filter((f) => f.type === 'cancel_not_honored' || f.type === 'sensitive_request_without_consent').length;
    components.respectedLimits = round3(clamp01(1 - broken / limits));
  }
  let sum = 0;
  let weight = 0;
  for (const key of Object.keys(SCORE_WEIGHTS) as Array<keyof ListeningComponents>) {
    const v = components[key];
    if (v === null) continue;
    const w = SCORE_WEIGHTS[key];
    sum += w * (INVERTED.has(key) ? 1 - v : v);
    weight += w;
  }
  // No agent turn at all: nothing to judge, so the neutral middle.
  const score = weight === 0 ? 50 : Math.round((100 * sum) / weight);
  return { score, components };
}
