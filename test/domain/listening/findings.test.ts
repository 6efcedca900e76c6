import { describe, expect, it } from 'vitest';
import { analyzeConversation, checkDraftReply, type FindingType } from '../../../src/domain/listening/index.ts';
import { agent, customer } from './helpers.ts';

const types = (messages: Parameters<typeof analyzeConversation>[0]['messages']): FindingType[] =>
  analyzeConversation({ messages }).findings.map((f) => f.type);

describe('findings', () => {
  it('push after refusal: a sales ask after a no, pointing at both messages', () => {
    const out = analyzeConversation({ messages: [
      agent('Would you like to donate to Save the Children today?'),
      customer("No thanks, I can't afford it right now."),
      agent('Even a dollar helps. How much would you like to donate?'),
    ] });
    const f = out.findings.find((x) => x.type === 'push_after_refusal');
    expect(f?.messages).toEqual([1, 2]);
    expect(f?.evidence).toMatch(/declined/);
  });

  it('no push when the agent respects the refusal', () => {
    expect(types([
      agent('Would you like to donate to Save the Children today?'),
      customer("No thanks, I can't afford it right now."),
      agent('That is completely fine, thank you for chatting with me.'),
    ])).not.toContain('push_after_refusal');
  });

  it.each<[string, Parameters<typeof analyzeConversation>[0]['messages'], boolean]>([
    ['sensitive request without consent', [customer('I just want a rough rate estimate.'), agent('Sure. Please send me your social security number so we can run a credit check.')], true],
    ['sensitive request after consent', [agent('To give you an exact rate we would need a credit check. May I run one?'), customer('Yes, go ahead, I consent.'), agent('Thanks. Please confirm your date of birth so we can run the credit check.')], false],
    ['asking permission is not a violation', [customer('What rate could I get?'), agent('May I run a soft credit check to give you an exact figure?')], false],
    ['asking again after consent was refused', [customer("Please don't run a credit check, I only want an estimate."), agent('I understand, but we need to run a credit check first.')], true],
  ])('%s', (_name, messages, expected) => {
    expect(types(messages).includes('sensitive_request_without_consent')).toBe(expected);
  });

  it.each<[string, Parameters<typeof analyzeConversation>[0]['messages'], boolean]>([
    ['cancel met with offers and no cancellation', [customer('I want to cancel my subscription.'), agent('Before you go, we can offer you 50% off for three months!'), customer('No, just cancel it.'), agent('How about a free month instead?')], true],
    ['cancel honoured', [customer('I want to cancel my subscription.'), agent('Done: your subscription has been cancelled and you will not be charged again.')], false],
    ['one offer, then the cancellation', [customer('Please cancel my membership.'), agent('We could offer you a cheaper plan. Would you like that?'), customer('No thanks.'), agent('No problem, your membership has been cancelled.')], false],
  ])('%s', (_name, messages, expected) => {
    expect(types(messages).includes('cancel_not_honored')).toBe(expected);
  });

  it('unanswered question vs answered question', () => {
    expect(types([customer('When will my refund arrive?'), agent('Thanks for reaching out! Have a great day.')])).toContain('unanswered_question');
    expect(types([customer('When will my refund arrive?'), agent('Your refund will arrive within 5 business days.')])).not.toContain('unanswered_question');
    expect(types([customer('When will my refund arrive?')])).not.toContain('unanswered_question');
  });
});

describe('checkDraftReply', () => {
  const conv = [
    agent('Would you like to upgrade to our premium plan?'),
    customer('No thanks, not now.'),
  ];
  it('flags a draft that pushes again, and only findings involving the draft', () => {
    const f = checkDraftReply(conv, 'Are you sure? Would you like to upgrade for only $5 more?');
    expect(f.map((x) => x.type)).toContain('push_after_refusal');
    expect(f.every((x) => x.messages.includes(conv.length))).toBe(true);
  });
  it('is quiet for a respectful draft', () => {
    expect(checkDraftReply(conv, 'Understood, thanks for letting me know. Is there anything else I can help with?')).toEqual([]);
  });
  it('flags an offer after a cancel request, and a sensitive request without consent', () => {
    expect(checkDraftReply([customer('I want to cancel my account.')], 'Before you go, we can offer you a discount!').map((f) => f.type)).toContain('cancel_not_honored');
    expect(checkDraftReply([customer('Can you check my balance?')], 'Sure, DM us your full card number and PIN.').map((f) => f.type)).toContain('sensitive_request_without_consent');
  });
});
