/**
 * Concrete problems seen in review (issue 3 follow-up), pinned as table-driven cases:
 * draft pushes, Story 4 (an estimate, then a demanded credit pull), consent questions vs
 * data requests, and the server's own expectations.
 */
import { describe, expect, it } from 'vitest';
import { analyzeConversation, checkDraftReply, type FindingType, type InputMessage, type Label } from '../../../src/domain/listening/index.ts';
import { agent, customer } from './helpers.ts';

const findingTypes = (messages: InputMessage[]): FindingType[] => analyzeConversation({ messages }).findings.map((f) => f.type);
const labelsAt = (messages: InputMessage[], i: number): Label[] => analyzeConversation({ messages }).messages[i]?.labels ?? [];

const upsell = agent('Would you like to upgrade to our premium plan for $10 more a month?');
const estimateOnly = customer('I just want a rough estimate, not an application.');

describe('checkDraftReply: drafts that would push after a no', () => {
  it.each<[string, InputMessage[], string, FindingType | null]>([
    ['"Are you sure?" plus an imperative pitch', [upsell, customer('No thanks, not interested.')], 'Are you sure? Upgrade today and get the first month free!', 'push_after_refusal'],
    ['pressure alone', [upsell, customer('No thanks, not interested.')], 'Are you sure? You might regret it.', 'push_after_refusal'],
    ['imperative pitch alone', [upsell, customer('No thanks, not now.')], 'Sign up now and get 20% off your first year.', 'push_after_refusal'],
    ['a question ask (server test)', [upsell, customer('No thanks, not interested.')], 'Would you like to upgrade to premium today?', 'push_after_refusal'],
    ['a question ask after "not now" (server test)', [upsell, customer('No thanks, not now.')], 'Would you like to upgrade to premium today?', 'push_after_refusal'],
    ['a respectful close (server test)', [upsell, customer('No thanks, not now.')], 'Understood, no upgrade. Is there anything else I can help with today?', null],
    ['a respectful answer', [upsell, customer('No thanks, not interested.')], 'No problem at all. Your current plan stays as it is.', null],
    ['Story 4: hard pull after "just an estimate"', [estimateOnly], 'I need to run a hard credit check first. Can I have your date of birth?', 'push_after_refusal'],
  ])('%s', (_name, conv, draft, expected) => {
    const types = checkDraftReply(conv, draft).map((f) => f.type);
    if (expected === null) expect(types).not.toContain('push_after_refusal');
    else expect(types).toContain(expected);
  });
});

describe('Story 4: only an estimate', () => {
  it('"I just want a rough estimate, not an application." is a refusal and a constraint', () => {
    const labels = labelsAt([estimateOnly], 0);
    expect(labels).toContain('refusal');
    expect(labels).toContain('constraint');
  });

  it.each<[string, string, FindingType[], FindingType[]]>([
    ['data request with "Can I have …" is not a consent question', 'I need to run a hard credit check first. Can I have your date of birth?', ['sensitive_request_without_consent', 'push_after_refusal'], []],
    ['"Can I have your DOB to run a hard credit check?"', 'Can I have your date of birth to run a hard credit check?', ['sensitive_request_without_consent', 'push_after_refusal'], []],
    ['"Can I get your card number?"', 'Can I get your card number so we can start?', ['sensitive_request_without_consent'], []],
    ['asking permission for the action is not a violation', 'Do I have your permission to run a credit check?', [], ['sensitive_request_without_consent', 'push_after_refusal']],
    ['"Are you OK with us doing a hard pull?" asks consent', 'Are you OK with us doing a hard pull?', [], ['sensitive_request_without_consent']],
    ['an estimate without a pull is fine', 'Sure, for a loan like that the rate is usually between 6% and 9%.', [], ['sensitive_request_without_consent', 'push_after_refusal']],
  ])('%s', (_name, reply, present, absent) => {
    const types = findingTypes([estimateOnly, agent(reply)]);
    for (const t of present) expect(types).toContain(t);
    for (const t of absent) expect(types).not.toContain(t);
  });

  it('consent given before the pull clears both findings', () => {
    const types = findingTypes([
      estimateOnly,
      agent('For an exact rate we would need a credit check. Do I have your permission to run one?'),
      customer('Yes, go ahead.'),
      agent('Thanks. Please confirm your date of birth so we can run the credit check.'),
    ]);
    expect(types).not.toContain('sensitive_request_without_consent');
    expect(types).not.toContain('push_after_refusal');
  });
});

describe('server expectations stay true', () => {
  it('a card number and security code request is a sensitive request without consent', () => {
    const out = analyzeConversation({ messages: [customer('Hi, I was double charged.'), agent('Please send me your full card number and the security code.')] });
    expect(out.messages[1]?.labels).toContain('sensitive_request');
    expect(out.findings.map((f) => f.type)).toContain('sensitive_request_without_consent');
  });
});

describe('listening score: MITI components', () => {
  const listener = [
    customer("I know I should cut down on drinking, but it's how I relax after work."),
    agent('What does a typical evening look like for you?'),
    customer('I get home, have three or four beers, and watch TV.'),
    agent('So the beers are part of how you unwind, and cutting down would mean finding another way to switch off.'),
  ];
  const lecturer = [
    customer("I know I should cut down on drinking, but it's how I relax after work."),
    agent('You need to stop drinking. You should know that alcohol can cause liver damage and cancer.'),
    customer('Okay.'),
    agent("Don't you care about your health? You must cut down now."),
  ];
  it('rewards open questions and reflections, penalises advice without permission', () => {
    const a = analyzeConversation({ messages: listener });
    const b = analyzeConversation({ messages: lecturer });
    expect(a.components.openQuestions).toBe(1);
    expect(a.components.advising).toBe(0);
    expect(b.components.advising).toBeGreaterThanOrEqual(0.5);
    expect(a.listeningScore).toBeGreaterThan(b.listeningScore);
  });
  it('advice after asking permission is not counted as advising', () => {
    const out = analyzeConversation({ messages: [customer('What can I do about the cravings?'), agent('Would it be okay if I shared what has worked for others? You could try nicotine gum.')] });
    expect(out.components.advising).toBe(0);
  });
});

describe('score: a sales ask earns no question credit', () => {
  const example = [
    agent('Would you like to donate to Save the Children today?'),
    customer('No thanks, I have my own bills.'),
    agent('How much would you like to donate?'),
  ];
  it('"How much would you like to donate?" is not an open question, and the push lowers the score', () => {
    const out = analyzeConversation({ messages: example });
    expect(out.messages[2]?.labels).toContain('sales_ask');
    expect(out.components.openQuestions).toBeNull();
    expect(out.components.question).toBe(0);
    expect(out.components.respectedRefusals).toBe(0);
    expect(out.components.advising).toBeGreaterThan(0);
    const respectful = analyzeConversation({ messages: [...example.slice(0, 2), agent('No problem. What made you interested in Save the Children?')] });
    expect(respectful.listeningScore).toBeGreaterThan(out.listeningScore);
  });
});

describe('reflection vs advice', () => {
  it('"you should …" advice is not coded as a reflection', () => {
    const out = analyzeConversation({ messages: [
      customer("I don't know, my friends all drink at parties and I don't want to be left out."),
      agent('Yeah. Probably if your friends won\'t quit drinking, you should just find new friends, and make sure you actually quit.'),
    ] });
    expect(out.messages[1]?.labels).not.toContain('reflection');
  });
  it('a restatement of the client\'s words is a reflection', () => {
    const out = analyzeConversation({ messages: [
      customer("I don't know, my friends all drink at parties and I don't want to be left out."),
      agent('So it sounds like you feel torn: you want to cut down, but you worry about being left out by your friends.'),
    ] });
    expect(out.messages[1]?.labels).toContain('reflection');
  });
});
