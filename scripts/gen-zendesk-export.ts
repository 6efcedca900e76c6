/**
 * Writes a synthetic Zendesk export (one JSON document, as docs/import.md describes) for measuring
 * the importer: `npx tsx scripts/gen-zendesk-export.ts 10000 > /tmp/zendesk-10k.json`.
 * Per ticket: one end-user (half of them reused), 4 comments (customer, internal note, agent, customer).
 */
import { writeSync } from 'node:fs';

const tickets = Number(process.argv[2] ?? 10_000);
const out = (s: string) => writeSync(1, s);
const users = Math.ceil(tickets / 2);
const agents = 20;
const day = (n: number) => new Date(Date.UTC(2023, 0, 1) + n * 3_600_000).toISOString();
out('{"organizations":[');
for (let o = 0; o < 50; o++) out(`${o ? ',' : ''}${JSON.stringify({ id: 100 + o, name: `Company ${o}` })}`);
out('],"users":[');
for (let a = 0; a < agents; a++) out(`${a ? ',' : ''}${JSON.stringify({ id: 1 + a, name: `Agent ${a}`, email: `agent${a}@support.example`, role: 'agent' })}`);
for (let u = 0; u < users; u++) {
  out(`,${JSON.stringify({ id: 1000 + u, name: `Customer ${u}`, email: `customer${u}@example.com`, phone: `+44 20 7000 ${String(u).padStart(4, '0')}`, organization_id: u % 3 === 0 ? 100 + (u % 50) : null, time_zone: 'Europe/London', locale: 'en-GB', role: 'end-user' })}`);
}
out('],"tickets":[');
const statuses = ['open', 'pending', 'solved', 'closed'];
for (let t = 0; t < tickets; t++) {
  out(`${t ? ',' : ''}${JSON.stringify({ id: 50_000 + t, requester_id: 1000 + (t % users), assignee_id: 1 + (t % agents), subject: `Question ${t} about my invoice`, status: statuses[t % 4], priority: 'normal', tags: ['billing'], created_at: day(t), updated_at: day(t + 2) })}`);
}
out('],"ticket_comments":[');
let c = 0;
for (let t = 0; t < tickets; t++) {
  const req = 1000 + (t % users);
  const agent = 1 + (t % agents);
  const comments = [
    { author_id: req, body: `Hello, invoice ${t} shows a charge I do not recognise. Can you explain it?`, public: true },
    { author_id: agent, body: 'Checked the ledger: the charge is the annual renewal.', public: false },
    { author_id: agent, body: `Hi, the charge on invoice ${t} is your annual renewal. Would you like me to send the breakdown?`, public: true },
    { author_id: req, body: 'Yes please, thank you.', public: true },
  ];
  for (const [i, cm] of comments.entries()) out(`${c++ ? ',' : ''}${JSON.stringify({ id: 900_000 + t * 4 + i, ticket_id: 50_000 + t, ...cm, created_at: day(t + i) })}`);
}
out(']}\n');
