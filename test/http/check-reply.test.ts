import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeCustomer, startTestApp, type TestApp } from '../support/app.ts';

let t: TestApp;
let customerId: string;
beforeAll(async () => {
  t = await startTestApp();
  customerId = await makeCustomer(t, t.a);
});
afterAll(async () => t?.close());

async function conversationWith(messages: Array<[string, string]>): Promise<string> {
  const [first, ...rest] = messages;
  const conv = await t.call('POST', '/api/v1/conversations', {
    body: { customerId, channel: 'chat', subject: 'Check', message: { role: first![0], text: first![1] } },
  });
  for (const [role, text] of rest) await t.call('POST', `/api/v1/conversations/${conv.json.id}/messages`, { body: { role, text } });
  return conv.json.id;
}

describe('POST /conversations/:id/check-reply', () => {
  it('warns before a push after a refusal, pointing at the refusal and the draft', async () => {
    const id = await conversationWith([
      ['agent', 'Would you like to upgrade to our premium plan for $10 more a month?'],
      ['customer', 'No thanks, not interested.'],
    ]);
    const res = await t.call('POST', `/api/v1/conversations/${id}/check-reply`, { body: { text: 'Would you like to upgrade to premium today?' } });
    expect(res.status).toBe(200);
    const push = res.json.findings.find((f: { type: string }) => f.type === 'push_after_refusal');
    expect(push).toBeDefined();
    expect(push.messageIds.at(-1)).toBe('draft');
    const conv = (await t.call('GET', `/api/v1/conversations/${id}`)).json;
    expect(push.messageIds).toContain(conv.messages[1].id);
    expect(conv.messages).toHaveLength(2); // nothing stored
  });

  it('warns before asking for card details without consent', async () => {
    const id = await conversationWith([['customer', 'My card expired, how do I update it?']]);
    const res = await t.call('POST', `/api/v1/conversations/${id}/check-reply`, { body: { text: 'Please send me your full card number and security code.' } });
    expect(res.json.findings.map((f: { type: string }) => f.type)).toContain('sensitive_request_without_consent');
  });

  it('finds nothing wrong with a reply that listens', async () => {
    const id = await conversationWith([
      ['agent', 'Would you like to upgrade to our premium plan?'],
      ['customer', 'No thanks, not now.'],
    ]);
    const res = await t.call('POST', `/api/v1/conversations/${id}/check-reply`, { body: { text: 'Understood, no upgrade. Is there anything else I can help with today?' } });
    expect(res.json.findings.filter((f: { type: string }) => f.type === 'push_after_refusal')).toEqual([]);
  });

  it("is 404 for another tenant's conversation and 400 for a bad body", async () => {
    const id = await conversationWith([['customer', 'Hello']]);
    expect((await t.call('POST', `/api/v1/conversations/${id}/check-reply`, { as: t.b, body: { text: 'hi' } })).status).toBe(404);
    const bad = await t.call('POST', `/api/v1/conversations/${id}/check-reply`, { body: { draft: 'hi' } });
    expect(bad.status).toBe(400);
  });
});
