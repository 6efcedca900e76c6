import type { Conversation } from '../../../src/contracts/conversations.ts';
import { formatDateTime } from '../format.ts';
import { useSession } from './session.tsx';
import { findingTitle, labelTitle, pieces, type Range } from './listening.ts';

type Finding = NonNullable<Conversation['listening']>['findings'][number];

const ROLE: Record<string, string> = { customer: 'Customer', agent: 'Agent', system: 'System' };
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** "you" for the signed-in agent; a handle or name as written; record ids are not shown. */
const authorOf = (author: string | null, me: string): string | null => (author === me ? 'you' : author && !UUID.test(author) ? author : null);

/** The messages, oldest first, with the words that are evidence for a finding marked. */
export function Messages({ messages, findings, active }: { messages: Conversation['messages']; findings: readonly Finding[]; active: number | null }) {
  const me = useSession().agent.id;
  const ranges = new Map<string, Range[]>();
  findings.forEach((f, i) => {
    for (const s of f.spans) {
      const list = ranges.get(s.messageId) ?? [];
      list.push({ start: s.start, end: s.end, finding: i });
      ranges.set(s.messageId, list);
    }
  });
  return (
    <ol className="messages">
      {messages.map((m) => (
        <li key={m.id} id={`message-${m.id}`} className={`message ${m.role} ${m.visibility}`}>
          <div className="message-head">
            <strong>{ROLE[m.role] ?? m.role}</strong>
            {authorOf(m.author, me) && <span className="muted">{authorOf(m.author, me)}</span>}
            {m.visibility === 'internal' && <span className="badge">Internal note</span>}
            <time dateTime={m.createdAt} className="muted">
              {formatDateTime(m.createdAt)}
            </time>
          </div>
          <p className="message-text">
            {pieces(m.text, ranges.get(m.id) ?? []).map((p, i) =>
              p.findings.length > 0 ? (
                <mark key={i} className={p.findings.includes(active ?? -1) ? 'evidence active' : 'evidence'} title={p.findings.map((f) => findingTitle(findings[f]!.type)).join('; ')}>
                  {p.text}
                </mark>
              ) : (
                <span key={i}>{p.text}</span>
              ),
            )}
          </p>
          {m.labels.length > 0 && (
            <p className="labels">
              <span className="visually-hidden">Labels: </span>
              {m.labels.map((l) => (
                <span key={l} className={`chip ${l}`}>
                  {labelTitle(l)}
                </span>
              ))}
            </p>
          )}
        </li>
      ))}
    </ol>
  );
}
