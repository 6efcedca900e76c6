/**
 * Cue phrases, written as regular expressions over a message's `normText` (lower-case norms
 * joined by single spaces, contractions expanded: "can't" → "can not", "don't" → "do not").
 * They serve twice: as hand-written rules for labels no corpus annotates, and as features
 * for the trained models, which then learn how much each cue is worth.
 */

import { mayMatch, phrase } from './phrases.ts';

// Phrase patterns go through the pre-filter (phrases.ts): same regexes, skipped when they cannot match.
const w = phrase;

/** Cue families used as model features (`lx:<name>`). */
export const CUES: Readonly<Record<string, RegExp>> = {
  // Refusal families (after RESPER's resistance strategies).
  direct_no: w("no|nope|nah|no thanks?|no thank you|not interested|i will pass|i'll pass|pass on|decline|rather not|not willing|not going to|i will not|not donat\\w*|not give|not want|do not think so"),
  delay: w("later|maybe later|another time|some other time|next time|not now|not right now|not today|at this time|at the moment|for now|think about it|think it over|get back to you|wait until|wait till|waiting (?:for|until)|when i get|when i have|in the future|first|look into|look it over|research|check (?:it )?out|not yet|someday|soon"),
  personal_choice: w("my own|i prefer|i would prefer|prefer to|i usually|i normally|i already|i tend to|already donat\\w*|i donat\\w* to|i give to|local|locally|closer to home|in my (?:community|town|area|country)|this country|here at home|my church|my family|my kids|volunteer\\w*|own charity|own charities"),
  hesitance: w("it depends|depends on|i do not know|i don't know|not sure|unsure|i guess|hesitant|skeptical|sceptical|cautious|careful|wary|trust|scam\\w*|how do i know|legit\\w*|overhead|administrative|salar\\w*|ceo|percentage|reputable|maybe|perhaps|possibly|might|not certain"),
  self_pity: w("afford|can not afford|bills|broke|tight|budget|poor|struggl\\w*|unemployed|student|low income|no money|not have (?:much|any|a lot of|enough)(?: money)?|little money|need (?:the|every|my) (?:money|penny|cent)|only (?:have|make|earn|get)|cents?|starv\\w*|food stamps|rent|paycheck|check arrives|not much"),
  deflect: w("why do not you|what about you|how much (?:are|will|would|did|do) you|have you (?:ever )?donat\\w*|are you (?:donating|going to donate)|will you donate|you donate|government|someone else|other people|rich people"),
  need_self: w("i need|i have to|i must|i can not|i could not|i am not able|i'm not able|not able to|i have (?:my|a|two|three|kids|children|bills|debt)|my (?:own|bills|rent|debt|family|kids|children|paycheck|income)|i am (?:a |on a |living|unemployed|broke|poor|struggling)|i'm (?:a |on a |living|unemployed|broke|poor|struggling)|we are (?:struggling|poor|broke)|money is|every penny"),
  agree: w("yes|yeah|sure|of course|definitely|absolutely|i will donate|i'll donate|i would like to donate|i'd like to donate|i can donate|i could donate|i will give|i'll give|count me in|i am in|i'm in|sounds good|good idea|great idea|i agree|i would love to|happy to|let us do|let's do|i will do|i'll do|why not|ok i will|okay i will|i would be willing|i'd be willing|i want to donate|i will|i'll"),
  inquiry: w("how (?:do|does|can|would|much does|much of)|what (?:does|do|is|are|percentage|kind)|where (?:does|do|is)|who (?:runs|is)|tell me more|more info\\w*|is there a (?:website|link)|how long"),
  limit_only: w("just want|only want|just need|only need|just looking|only looking|rough estimate|estimate|just a quote|only a quote|just curious"),
  // Asking the customer to give, buy or commit.
  ask_verb: w("donat\\w*|contribut\\w*|give|giving|spare|sponsor\\w*|pledge|buy\\w*|purchas\\w*|upgrad\\w*|sign up|subscrib\\w*|commit|invest\\w*|order|enrol\\w*|enroll\\w*|join|apply"),
  ask_frame: w("would you (?:like|be willing|consider|be interested|want)|will you|could you|can you|are you (?:willing|interested|able)|how much|how about|what about|please|let us|let's|why not|any amount|even (?:a|just|\\$)|every (?:penny|cent|dollar|bit|little)|as little as|do you want to|you can|you could|would it|willing to"),
  amount: w("\\$|dollars?|cents?|amount|payment|penny|bonus|earnings?|task"),
  // Listening moves.
  reflect_open: w("so you|you feel|you are feeling|you're feeling|you felt|it sounds like|sounds like|you are saying|you're saying|what i hear|what i am hearing|you mean|you think|you want|you are|you're|you have|you've|you do not|you don't|you would|you'd|for you|part of you|on one hand|on the other hand|you are not|you're not|you were|you just|you really|your"),
  question_open: w("what|how|why|when|where|who|which|tell me|i am wondering|i'm wondering|i wonder|curious"),
  question_closed: w("do you|does|did you|are you|is it|is that|have you|can you|could you|would you|will you|was it|were you|is there|any"),
  ack: w("thank you|thanks|sorry|apologi\\w*|i understand|understand|i see|i hear you|got it|makes sense|that must|i appreciate|appreciate|glad|good to hear|great to hear|no problem|of course|absolutely|fair enough|okay|ok|mm-hmm|mm|hmm|uh-huh|right|yeah|yes|sure|alright|great|good|wonderful|awesome|excellent|i know"),
  inform: w("you could|you can|you might want|you may want|you want to make sure|make sure|try to|try (?:the|a|some)|i would like you to|i'd like you to|i want you to|we recommend|we do not recommend|i would recommend|is going to|are going to|gonna|will help|can help|can cause|could cause|lead to|leads to|increase\\w*|decrease\\w*|percent|per cent|studies|research|the guidelines|recommended|the idea is|what happens is|one thing you could|another option|options are|the (?:risk|risks|effects|symptoms)"),
  confront: w("you are wrong|you're wrong|that is not true|that's not true|you do not understand|you don't understand|you always|you never|how could you|why did not you|why didn't you|why do not you|why don't you|why can not you|why can't you|you have to stop|you need to stop|you really need|you must|i am concerned|i'm concerned|concerning to me|worries me|i am worried|i'm worried"),
  advise: w("you should|you need to|you have to|you must|i recommend|i would recommend|i suggest|i'd suggest|the best thing|it is important|it's important|research shows|studies show|doctors|guidelines|risk|dangerous|harmful|damage|cancer|the problem is"),
};

export const CUE_NAMES: readonly string[] = Object.keys(CUES);

/** Family index of each name in `CUE_NAMES` (features keep per-family id tables). */
export const CUE_INDEX: Readonly<Record<string, number>> = Object.fromEntries(CUE_NAMES.map((n, i) => [n, i]));
const CUE_RES: readonly RegExp[] = CUE_NAMES.map((n) => CUES[n] as RegExp);

/** What cueFamilies needs of a tokenised message; `families` memoises the answer on it. */
export interface CueTarget {
  normText: string;
  mask: Int32Array;
  families?: readonly number[] | undefined;
}

/** Indices (into `CUE_NAMES`) of the cue families present (memoised: context features ask again). */
export function cueFamilyIds(lexed: CueTarget): readonly number[] {
  if (lexed.families !== undefined) return lexed.families;
  const out: number[] = [];
  for (let i = 0; i < CUE_RES.length; i++) {
    const re = CUE_RES[i] as RegExp;
    if (!mayMatch(lexed.mask, re)) continue;
    re.lastIndex = 0;
    if (re.test(lexed.normText)) out.push(i);
  }
  lexed.families = out;
  return out;
}

/** The cue families present in a tokenised message, by name. */
export function cueFamilies(lexed: CueTarget): readonly string[] {
  return cueFamilyIds(lexed).map((i) => CUE_NAMES[i] as string);
}

/** Words that carry no content, ignored when measuring overlap between turns. */
export const STOPWORDS: ReadonlySet<string> = new Set(
  (
    "a an the and or but if then so of to in on at by for with about as into from up down out over under again " +
    "i me my mine myself we us our ours you your yours yourself he him his she her it its they them their this that these those " +
    "am is are was were be been being have has had do does did doing will would shall should can could may might must " +
    "not no yes yeah ok okay oh um uh mm hmm mm-hmm uh-huh like just really very too also well right know think get got " +
    "what which who whom whose when where why how all any both each few more most other some such only own same than " +
    "there here s t don now going gonna kind sort thing things lot 's 're 've 'll 'd i'm it's that's you're"
  ).split(' '),
);
