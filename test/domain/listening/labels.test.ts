import { describe, expect, it } from 'vitest';
import { analyzeConversation, type Label } from '../../../src/domain/listening/index.ts';
import { agent, customer } from './helpers.ts';

/** Labels of the last message of a short exchange. */
function lastLabels(messages: Parameters<typeof analyzeConversation>[0]['messages']): Label[] {
  const out = analyzeConversation({ messages });
  return out.messages[out.messages.length - 1]?.labels ?? [];
}

describe('customer labels', () => {
  const ask = agent('Would you like to upgrade to our premium plan today?');
  it.each<[string, Label]>([
    ['No thanks, not interested.', 'refusal'],
    ["I can't afford it right now, I have my own bills to pay.", 'refusal'],
    ['Maybe later, I need to think about it.', 'refusal'],
    ['I want to cancel my subscription.', 'cancel_request'],
    ['Please close my account.', 'cancel_request'],
    ['How do I unsubscribe?', 'cancel_request'],
    ['Yes, go ahead.', 'consent_given'],
    ["I'm not comfortable giving you my card details.", 'consent_refused'],
    ["Please don't run a credit check.", 'consent_refused'],
    ['I just want a rough estimate.', 'constraint'],
    ["Please don't call me, email only.", 'constraint'],
    ['This is ridiculous, I have been waiting for weeks and still nothing.', 'complaint'],
    ['What time do you open?', 'question'],
  ])('%s → %s', (text, label) => {
    expect(lastLabels([ask, customer(text)])).toContain(label);
  });

  it.each<[string, Label]>([
    ["I don't want to cancel, I love it.", 'cancel_request'],
    ['Thanks, that sounds great!', 'complaint'],
    ['Thanks, that sounds great!', 'consent_refused'],
    ['I agree with my friend that the app is nice.', 'consent_given'],
  ])('%s is not %s', (text, label) => {
    expect(lastLabels([ask, customer(text)])).not.toContain(label);
  });

  it('does not call a hesitant opening a refusal before the agent has spoken', () => {
    expect(lastLabels([customer("I'm not sure how this works, anybody know?")])).not.toContain('refusal');
    expect(lastLabels([customer('Your trial is ending and you want money. No thanks.')])).toContain('refusal');
  });
});

describe('customer posts before the agent first replies (labelled without the refusal model)', () => {
  const upsell = agent('Would you like to upgrade to premium today?');
  it.each<[string, Label[], Label[], boolean]>([
    // text of the second opening post, labels it has, labels it has not, push finding expected
    ['I want to cancel my subscription.', ['cancel_request'], ['refusal'], false],
    ['No thanks, I just want a rough estimate.', ['refusal', 'constraint'], [], true],
    ['Maybe later, I need to think about it.', [], ['refusal'], false],
    ['Why was I charged twice this month?', ['complaint', 'question'], ['refusal'], false],
  ])('%s', (text, present, absent, push) => {
    const out = analyzeConversation({ messages: [customer('Hello?'), customer(text), upsell] });
    const labels = out.messages[1]?.labels ?? [];
    for (const l of present) expect(labels).toContain(l);
    for (const l of absent) expect(labels).not.toContain(l);
    expect(out.findings.some((f) => f.type === 'push_after_refusal' && f.messages[0] === 1)).toBe(push);
  });
});

describe('agent labels', () => {
  const hello = customer('Hi, my internet keeps dropping every evening and I am fed up.');
  it.each<[string, Label]>([
    ['How much would you like to donate today?', 'sales_ask'],
    ['Would you be willing to donate some of your task payment to Save the Children?', 'sales_ask'],
    ['So your internet keeps dropping every evening and you are fed up with it.', 'reflection'],
    ['What happens when it drops?', 'question'],
    ['Thanks for letting us know, I understand.', 'acknowledgement'],
    ['Please send us your card number and the security code.', 'sensitive_request'],
    ['We need to run a credit check before we continue.', 'sensitive_request'],
    ['We can offer you 50% off for the next three months.', 'offer'],
    ['Your subscription has been cancelled and you will not be charged again.', 'cancel_confirmation'],
  ])('%s → %s', (text, label) => {
    expect(lastLabels([hello, agent(text)])).toContain(label);
  });

  it.each<[string, Label]>([
    ['Did you try resetting your password on this page?', 'sensitive_request'],
    ['We will never ask for your password.', 'sensitive_request'],
    ['All routes offered are on our website.', 'offer'],
  ])('%s is not %s', (text, label) => {
    expect(lastLabels([hello, agent(text)])).not.toContain(label);
  });
});

describe('alignment', () => {
  it('returns one entry per input message, system messages unlabelled, empty text allowed', () => {
    const out = analyzeConversation({ id: 'x', messages: [{ role: 'system', text: 'No thanks.' }, customer(''), agent('How can I help?')] });
    expect(out.id).toBe('x');
    expect(out.messages).toHaveLength(3);
    expect(out.messages[0]?.labels).toEqual([]);
    expect(out.messages[1]?.labels).toEqual([]);
  });
});
