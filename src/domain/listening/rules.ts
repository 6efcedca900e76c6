/**
 * Hand-written rules for labels that no public corpus annotates (cancel requests, consent,
 * limits, complaints, sensitive requests, offers …). Each rule is a phrase pattern over the
 * message's `normText`; a match inside a negation ("I do NOT want to cancel") does not count.
 * The guideline these rules follow is in docs/listening.md; they are measured on the
 * hand-labelled twitter-care fixture.
 */
import { normRangeToSpan, type Lexed, type TokenInfo } from './nlp.ts';
import type { Label } from './types.ts';

import { mayMatch, phrase } from './phrases.ts';

// Phrase patterns go through the pre-filter (phrases.ts): same regexes, skipped when they cannot match.
const w = phrase;

export interface RuleHit {
  label: Label;
  start: number;
  end: number;
}

const CANCEL_VERB = "cancel\\w*|terminate|close|deactivate|delete|unsubscribe|stop|quit|discontinue|get rid of|opt out|unenroll";
const THING = "account|subscription|membership|order|service|contract|plan|card|booking|reservation|flight|policy|trial|package|line|number|prime|premium|sub|it|this|that|them";

const CUSTOMER_RULES: ReadonlyArray<{ label: Label; re: RegExp }> = [
  { label: 'cancel_request', re: w(`(?:want|wanted|need|would like|wish|trying|try|tried|how (?:do|can) i|how to|please|pls|plz|help me|going to|gonna|wanna|i will|want to|like to|i'd like to|let me|can i|can you|could you|i have to|need you to) (?:to )?(?:${CANCEL_VERB})(?: (?:my|the|this|our|your|of))?`) },
  { label: 'cancel_request', re: w(`(?:${CANCEL_VERB}) (?:my|the|this|our|your) (?:${THING})`) },
  { label: 'cancel_request', re: w("unsubscribe|cancel (?:it|this|that|me)(?: now| please| asap| immediately)?|i am (?:cancelling|canceling|leaving you|done with you)|i'm (?:cancelling|canceling|leaving you|done with you)|cancellation|close my account|refund (?:and|&) cancel|remove (?:me|my name|my email|my number|my details|my account)|(?:can not|cannot|unable to|impossible to|not able to|will not let me|won't let me) (?:cancel|unsubscribe|close|delete|unenroll)|end my (?:subscription|membership|contract|plan|account|service)|when i cancel") },
  { label: 'consent_given', re: w("i consent|i agree to|i authori[sz]e|you have my (?:permission|consent|ok)|(?:you|u) (?:can|may) (?:check|run|pull|access|look|use|go ahead)|go ahead|feel free to|that is fine|that's fine|that is ok|please do|yes please|(?:just )?(?:sent|send|dm'd|dmed|dm ed|messaged) (?:you |u |y'all |it )?(?:a |the |an )?(?:dm|direct message|private message|pm|details)|dm sent|dm'd you|sent a dm|i have sent|i've sent|i sent (?:you|u|it|the|my)") },
  { label: 'consent_refused', re: w("(?:do not|not|never|will not) (?:want to |going to )?(?:give|share|send|provide|dm|disclose|hand over) (?:you |u )?(?:my|that|this|the|personal|any|out)|not comfortable|(?:do not|don't) (?:run|pull|check|do|need) (?:a |my |any )?(?:credit|hard)|no (?:credit|hard) (?:check|pull|inquiry|search)|why do you need|why would you need|none of your business|do not consent|i refuse|not (?:giving|sharing|sending|providing)|rather not (?:give|share|send|say)|not (?:going to|gonna) (?:give|share|send|dm)") },
  { label: 'constraint', re: w("only (?:want|need|looking for|interested in|wanted|asking|after|by|via|through|over|on)|just (?:want|need|looking for|wanted|asking for|a rough|a quote|an estimate)(?! to (?:give|say|thank|let|know|share|point|ask))|before (?:i am|i'm|i get|it is|it gets) (?:billed|charged|renewed)|rough estimate|no more than|not more than|at most|at the most|maximum|max|(?:can|could) only|my budget|on a budget|(?:do not|don't|please do not|never|stop) (?:call|calling|email|emailing|text|texting|contact|contacting|message|messaging|send|sending|charge|charging|ring|ringing|bill|billing|renew)(?: me)?|without (?:a |my |any )?(?:credit|hard|check|calling|fee|charge|penalty)|(?:prefer|rather) (?:email|text|dm|not|to)|(?:need|want) (?:it|this|them|that) (?:by|before|within|done by)|(?:by|before|until|no later than) (?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|tomorrow|tonight|the end of)|not (?:interested in|looking for) (?:a |an |any )?(?:upgrade|new|another|more|other)|do not want (?:a|an|any|another|to be|to pay|to upgrade)|not (?:willing|able) to pay|can not pay|can't pay") },
  { label: 'complaint', re: w("terrible|awful|horrible|worst|ridiculous|unacceptable|disgusting|appalling|pathetic|useless|shocking|nonsense|shady|joke|nightmare|rubbish|crap|shit\\w*|wtf|fuck\\w*|damn|sucks?|impossible|poor (?:service|customer|experience)|bad (?:service|experience|customer)|(?:still|yet) (?:not|no|have not|has not|waiting|nothing|broken|down|being charged|charging|can not|ca not)|(?:not|never|nothing|no one|nobody) (?:received|arrived|arriving|working|work|works|fixed|resolved|answer\\w*|respond\\w*|repl\\w*|delivered|showed|came|loading|helps?|seems to be able)|(?:been|keep|kept|keeps) (?:waiting|charging|charged|trying|calling|crashing|dropping|failing|happening|saying|emailing|sending|freezing|asking|putting|telling)|disappoint\\w*|frustrat\\w*|annoy\\w*|angry|upset|fed up|sick of|tired of|complain\\w*|overcharg\\w*|charged (?:me )?(?:twice|double|again)|double charged|scam\\w*|rip ?off|ripped off|gouging|gougers|(?:does|do|did|is|are|was) not work\\w*|broken|fix this|fix it|no way to|ignore\\w*|ignoring|hung up|on hold|no response|no reply|no answer|i expect a (?:full )?refund|want my money back|should be refund\\w*|(?:hours|days|weeks|months) (?:now|later|and still)|(?:almost|over|more than) (?:an? |\\d+ )?(?:hour|hours|day|days|week|weeks|month|months)|second time|again and again|sad that|and yet|lost me|without my (?:approval|permission|consent)|false pretenses|stop charging|too confusing|so confusing|not the only one") },
];

const SENSITIVE = "(?:credit|debit|bank|payment) card(?: number| details| info\\w*)?|card (?:number|details|info\\w*)|(?:full|last (?:4|four)|16 digit) (?:card |digits|numbers?)|account number|(?:social security|ssn|national insurance|passport|driver'?s licen[cs]e|driving licen[cs]e|routing|sort code|iban|tax id)(?: number)?|security (?:code|question|answer)|cvv|cvc|pin|passcode|(?:your |the )?password|login details|login credentials|one time code|verification code|2sv code|date of birth|dob|mother's maiden|(?:photo|copy|picture|scan|image) of (?:your |the )?(?:id|passport|licen[cs]e|driver|identity|bill|statement|card)|(?:id|identity|identification) (?:document|card|proof)|proof of (?:identity|address|id|income)|bank (?:details|account|statement|information|info)|income|salary|pay ?stubs?";

const AGENT_RULES: ReadonlyArray<{ label: Label; re: RegExp; needsRequest?: boolean }> = [
  { label: 'sensitive_request', needsRequest: true, re: w(`(?:(?:can|could|may) (?:i|we) (?:have|get|grab|take|ask for|know)|send|provide|share|confirm|give|tell|dm|enter|verify|need|require|what is|what's|include|submit|reply with|read|type|upload|attach|take) (?:[^ ]+ ){0,6}?(?:${SENSITIVE})|(?:run|do|perform|pull|complete) (?:a |an |your )?(?:hard |soft )?credit (?:check|pull|inquiry|enquiry|search|report)|(?:hard|soft) (?:credit )?(?:pull|inquiry|enquiry)|credit check`) },
  { label: 'offer', re: w("(?:we|i) (?:can|could|would|'d|will|'ll) (?:like to |be happy to |happily )?(?:offer|give you|provide you|extend|waive|discount|upgrade you|switch you|move you|credit)|(?:happy|glad|able) to (?:offer|give you|waive|extend|discount|upgrade)|offer|offers|offering|discount|discounts|discounted|\\d+ ?(?:%|percent) off|promo\\w*|deal|deals|free (?:month|months|trial|upgrade|week|weeks|gift)|special (?:price|rate|offer|deal)|before you (?:go|cancel|leave)|instead of cancel\\w*|(?:would|will) you (?:consider|like to) (?:stay\\w*|keep\\w*|switch\\w*|downgrad\\w*|paus\\w*)|pause (?:your|the) (?:account|subscription|membership)|(?:we can|would you like to|how about|why not|you should) (?:upgrade|downgrade)|upgrade (?:you|your plan|to (?:a|our|the) \\w+)|(?:cheaper|better|new|lower) (?:plan|package|deal|rate|price)|loyalty|retention|stay with us|reconsider") },
  { label: 'cancel_confirmation', re: w("(?:has|have|is|was|been|now) (?:now )?(?:been )?(?:cancel(?:l)?ed|closed|terminated|deactivated|unsubscribed|refunded|removed)|(?:i|we) (?:have|'ve)? ?(?:cancel(?:l)?ed|closed|terminated|processed your cancel\\w*)|cancel\\w* (?:is|has been) (?:complete|confirmed|processed|done)|(?:i|we) (?:will|'ll|can|have) (?:go ahead and )?(?:cancel|close|terminate|process)(?: it| that| this| your| the)|(?:will|shall) not be (?:charged|billed)|no longer be (?:charged|billed)|no (?:further|more) (?:charges|payments|bills)|you can cancel (?:here|at|via|by|online|through|anytime|any time|from|in)|to cancel ?,? (?:please )?(?:go|visit|click|call|head|follow|use|just)|cancel (?:it |your \\w+ |the \\w+ )?(?:here|at|via|online|from your|with the steps|using|by visiting)|(?:how to|steps to|guide to|in order to|to) cancel (?:it|this|that|your|the)|make sure (?:they are|it is|it's) cancel\\w*") },
];

const REQUEST_CUE = w("can i|could i|may i|please|pls|dm|direct message|send|provide|share|confirm|need|can you|could you|would you|what is|what's|may i|let us|let me|us know|give|enter|verify|run|pull|check|follow|fill|upload|attach");

const countMatches = (re: RegExp, lexed: Lexed): boolean => {
  if (!mayMatch(lexed.mask, re)) return false;
  re.lastIndex = 0;
  return re.test(lexed.normText);
};

/** Whether the tokens around a normText match are negated ("do not", "never", "no"). */
function negatedAt(lexed: Lexed, normStart: number): boolean {
  const info = lexed.info;
  for (let i = 0; i < lexed.n; i++) {
    const s = lexed.normStarts[i] as number;
    if (s + (info[i] as TokenInfo).norm.length > normStart) {
      if (lexed.neg[i] === 1) return true;
      const prev = info[i - 1]?.norm;
      return prev === 'not' || prev === 'never' || prev === 'no' || prev === "n't";
    }
  }
  return false;
}

const NEGATION_ALLOWED: ReadonlySet<Label> = new Set<Label>(['consent_refused', 'constraint', 'complaint']);

function runRules(lexed: Lexed, rules: ReadonlyArray<{ label: Label; re: RegExp; needsRequest?: boolean }>): RuleHit[] {
  const hits: RuleHit[] = [];
  const seen = new Set<Label>();
  for (const rule of rules) {
    if (seen.has(rule.label)) continue;
    if (rule.needsRequest === true && !(lexed.text.includes('?') || countMatches(REQUEST_CUE, lexed))) continue;
    if (!mayMatch(lexed.mask, rule.re)) continue;
    rule.re.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = rule.re.exec(lexed.normText)) !== null) {
      const lead = m[0].startsWith(' ') ? 1 : 0;
      const from = m.index + lead;
      const to = m.index + m[0].length;
      if (!NEGATION_ALLOWED.has(rule.label) && negatedAt(lexed, from)) continue;
      const span = normRangeToSpan(lexed, from, to);
      if (span === null) continue;
      hits.push({ label: rule.label, start: span.start, end: span.end });
      seen.add(rule.label);
      break;
    }
  }
  return hits;
}

// Rule hits depend only on the text, so live re-checks of a conversation reuse them: they are
// memoised on the tokenised message, which nlp.ts caches by text.

/** Forget cached rule hits (benchmarks). */
export function clearRuleCaches(): void {
  // Memoised on the tokenised messages: clearLexCache drops them.
}

/** Rule labels of a customer message (cached by text; do not mutate the result). */
export function customerRuleHits(lexed: Lexed): readonly RuleHit[] {
  return (lexed.customerRules ??= customerRuleHitsUncached(lexed));
}

/** Rule labels of an agent message (cached by text; do not mutate the result). */
export function agentRuleHits(lexed: Lexed): readonly RuleHit[] {
  return (lexed.agentRules ??= agentRuleHitsUncached(lexed));
}

function customerRuleHitsUncached(lexed: Lexed): RuleHit[] {
  const hits = runRules(lexed, CUSTOMER_RULES);
  // A "don't cancel" style negation is already excluded; a customer asking a question is
  // labelled `question` so unanswered questions can be found.
  const q = questionSpan(lexed);
  if (q !== null) hits.push({ label: 'question', start: q.start, end: q.end });
  return hits;
}

function agentRuleHitsUncached(lexed: Lexed): RuleHit[] {
  const hits = runRules(lexed, AGENT_RULES);
  const ack = acknowledgementSpan(lexed);
  if (ack !== null) hits.push({ label: 'acknowledgement', start: ack.start, end: ack.end });
  return hits;
}

const ACK_ANYWHERE = w("thank you|thanks|thx|sorry|apologi\\w*|i understand|i can understand|we understand|i see|i hear you|got it|that makes sense|makes sense|that must be|must be (?:hard|difficult|frustrating)|i appreciate|we appreciate|appreciate (?:it|that|you|your)|glad to hear|good to hear|great to hear|happy to hear|no problem|fair enough|i know|understandable|that's understandable|regret");
const ACK_OPENERS = new Set(['okay', 'ok', 'mm-hmm', 'mm', 'mhm', 'hmm', 'uh-huh', 'right', 'yeah', 'yes', 'sure', 'alright', 'great', 'good', 'wonderful', 'awesome', 'excellent', 'absolutely', 'gotcha', 'hi', 'hello', 'hey', 'cool', 'nice', 'perfect', 'fantastic', 'exactly', 'true', 'indeed', 'certainly']);

/** "Thanks", "I understand", "Mm-hmm", "Okay." — the agent shows it heard the customer. */
export function acknowledgementSpan(lexed: Lexed): { start: number; end: number } | null {
  ACK_ANYWHERE.lastIndex = 0;
  const m = mayMatch(lexed.mask, ACK_ANYWHERE) ? ACK_ANYWHERE.exec(lexed.normText) : null;
  if (m !== null) {
    const lead = m[0].startsWith(' ') ? 1 : 0;
    return normRangeToSpan(lexed, m.index + lead, m.index + m[0].length);
  }
  const fi = lexed.info.findIndex((t) => t.kind === 'word');
  const first = fi >= 0 ? lexed.info[fi] : undefined;
  if (first !== undefined && ACK_OPENERS.has(first.norm) && first.norm !== 'hi' && first.norm !== 'hello' && first.norm !== 'hey') {
    return { start: lexed.start[fi] as number, end: lexed.end[fi] as number };
  }
  return null;
}

const WH = new Set(['what', 'how', 'why', 'when', 'where', 'who', 'which', 'whom', 'whose']);
const AUX = new Set(['can', 'could', 'is', 'are', 'do', 'does', 'did', 'will', 'would', 'should', 'may', 'have', 'has', 'was', 'were', 'am', 'shall']);

/** The first interrogative sentence: ends with "?" or opens with a wh-word/auxiliary. */
export function questionSpan(lexed: Lexed): { start: number; end: number } | null {
  const toks = lexed.info;
  for (const [a, b] of lexed.sentences) {
    // Plain loops rather than slice().find(): no copies per sentence.
    let first: TokenInfo | undefined;
    let endsQ = false;
    for (let i = a; i <= b && i < toks.length; i++) {
      const t = toks[i] as TokenInfo;
      if (first === undefined && t.kind === 'word' && !t.norm.startsWith('@')) first = t;
      if (!endsQ && t.norm.includes('?')) endsQ = true;
    }
    const lastTok = toks[b];
    const opens = first !== undefined && (WH.has(first.norm) || (AUX.has(first.norm) && b - a >= 3)) && lastTok?.norm !== '.';
    if (endsQ || opens) {
      if (a < lexed.n && lastTok !== undefined && (lexed.end[b] as number) > (lexed.start[a] as number)) return { start: lexed.start[a] as number, end: lexed.end[b] as number };
    }
  }
  return null;
}

const STRONG_REFUSAL = w("no thanks|no thank you|not interested|(?:do not|don't) want to (?:buy|pay|upgrade|purchase|subscribe|sign up|donate|give|apply)|i will pass|i'll pass|not for me|i am good for now|i'm good for now|i decline|no way|(?:i )?(?:just|only) (?:want|need|wanted|asked for|asking for|looking for) (?:a |an |the )?(?:rough |quick |ballpark |simple )?(?:estimate|quote|idea|figure|ballpark|number|rate)|not (?:an|a|any) (?:application|loan|credit check|upgrade|subscription|contract)|not (?:applying|signing up|upgrading)");

/**
 * A refusal answers a proposal. Before the agent has said anything, only an explicit refusal
 * ("No thanks", "I don't want to upgrade", "I just want a rough estimate") counts; the trained
 * model, learned on replies to asks, would otherwise read any hesitant opening as a refusal.
 * A scope limit ("just an estimate", "not an application") declines everything beyond it.
 */
export function strongRefusalSpan(lexed: Lexed): { start: number; end: number } | null {
  return firstMatch(STRONG_REFUSAL, lexed);
}

function firstMatch(re: RegExp, lexed: Lexed): { start: number; end: number } | null {
  if (!mayMatch(lexed.mask, re)) return null;
  re.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(lexed.normText)) !== null) {
    const lead = m[0].startsWith(' ') ? 1 : 0;
    if (negatedAt(lexed, m.index + lead) && !m[0].includes('not')) continue;
    return normRangeToSpan(lexed, m.index + lead, m.index + m[0].length);
  }
  return null;
}

// An imperative pitch ("Upgrade today and get …", "Sign up now!", "Donate just $1") or pressure
// after a no ("Are you sure?", "Don't miss out") asks the customer to buy as surely as a question does.
const PITCH = /(?:^|[.!?;:,] |^(?:so|now|then|please|just|go ahead and|why not) )(?:please )?(?:upgrade|buy|sign up|subscribe|donate|purchase|order|join|renew|switch|enrol|enroll|apply|invest|add (?:the|our|a|premium|on)|get (?:the|our|a|premium|started)|grab|claim|lock in|try (?:our|the|premium)|give (?:just|a|\$|what))\b[^.!?]{0,80}?(?:today|now|tonight|this (?:week|month)|free|\$|%|off|only|just|deal|offer|premium|plan|bonus|children|charity)/;
const PRESSURE = w("are you sure|are you certain|(?:please )?reconsider|change your mind|last chance|(?:do not|don't) miss (?:out|this)|limited time|act now|today only|offer ends|think again|before it is too late");

/** An explicit ask to buy, upgrade or give, in any trade (the model learned donation asks). */
export function explicitAskSpan(lexed: Lexed): { start: number; end: number } | null {
  const m = PITCH.exec(lexed.normText);
  if (m !== null) {
    const lead = m[0].length - m[0].trimStart().length;
    return normRangeToSpan(lexed, m.index + lead, m.index + m[0].length);
  }
  return null;
}

// Offering help ("Is there anything else I can help with?") is service, not selling, unless the
// same turn also pitches something to buy or give.
const HELP_OFFER = w("anything else (?:i|we) (?:can|could) (?:help|do|assist)|(?:can|could|may) (?:i|we) help (?:you )?with anything else|how (?:can|may|could) (?:i|we) (?:help|assist)|is there anything else|anything else (?:you need|today)");
const ASK_VERB = w("donat\\w*|contribut\\w*|give|spare|sponsor\\w*|pledge|buy\\w*|purchas\\w*|upgrad\\w*|sign up|subscrib\\w*|commit|invest\\w*|order|enrol\\w*|enroll\\w*|join|apply|renew");

/** Whether a turn only offers help (so a model's weak sales-ask reading should not stand). */
export function onlyOffersHelp(lexed: Lexed): boolean {
  if (!mayMatch(lexed.mask, HELP_OFFER)) return false;
  HELP_OFFER.lastIndex = 0;
  if (!HELP_OFFER.test(lexed.normText)) return false;
  if (!mayMatch(lexed.mask, ASK_VERB)) return true;
  ASK_VERB.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = ASK_VERB.exec(lexed.normText)) !== null) {
    if (!negatedAt(lexed, m.index + (m[0].startsWith(' ') ? 1 : 0)) && !/ no $/.test(lexed.normText.slice(Math.max(0, m.index - 3), m.index + 1))) return false;
  }
  return true;
}

/** Pressure to change a no into a yes ("Are you sure?", "Last chance"). */
export function pressureSpan(lexed: Lexed): { start: number; end: number } | null {
  return firstMatch(PRESSURE, lexed);
}

// Asking consent for an action ("May I run a soft credit check?", "Do I have your permission …",
// "Are you OK with a hard pull?"). Asking for the data itself ("Can I have your date of birth?")
// is a request, not a consent question.
const CONSENT_QUESTION = /\b(?:(?:may|can|could|shall) (?:i|we) (?:go ahead and )?(?:run|do|perform|pull|check|process|submit|proceed|go ahead|start)\b|do (?:i|we) have your (?:permission|consent|ok|okay|approval|authori[sz]ation)|with your (?:permission|consent|approval)|(?:is|would) (?:it|that) be (?:ok|okay|alright|all right|fine)|is (?:it|that) (?:ok|okay|alright|all right|fine) (?:if|for|with)|(?:are|would) you (?:be )?(?:ok|okay|alright|all right|comfortable|happy|fine) (?:with|if|for|to)|do you (?:agree|consent|mind|authori[sz]e)|if you(?: are|'re| re) (?:comfortable|ok|okay|happy)|only (?:if|with) your (?:permission|consent))/;

/** Whether an agent message asks the customer's consent (rather than just asking for data). */
export function asksConsent(lexed: Lexed): boolean {
  return CONSENT_QUESTION.test(lexed.normText);
}
