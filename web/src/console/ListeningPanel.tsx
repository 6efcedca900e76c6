import type { Conversation } from '../../../src/contracts/conversations.ts';
import { CUSTOMER_GROUPS, findingTitle } from './listening.ts';

/**
 * What the agent must keep in front of them: what the customer asked for, refused and limited (from
 * the labels of their messages), the listening score, and each finding with its evidence — choosing
 * a finding marks its words in the messages and moves there.
 */
export function ListeningPanel({ conversation, active, onSelect }: { conversation: Conversation; active: number | null; onSelect: (i: number | null) => void }) {
  const listening = conversation.listening;
  const customer = conversation.messages.filter((m) => m.role === 'customer' && m.visibility === 'public');
  const show = (i: number) => {
    onSelect(i);
    const first = listening?.findings[i]?.spans[0]?.messageId ?? listening?.findings[i]?.messageIds[0];
    if (first) {
      const el = document.getElementById(`message-${first}`);
      el?.scrollIntoView({ block: 'center' });
    }
  };
  return (
    <aside className="listening" aria-labelledby="listening-title">
      <h2 id="listening-title">Listening</h2>
      {!listening ? (
        <p className="muted">No analysis yet.</p>
      ) : (
        <p>
          Listening score: <strong>{Math.round(listening.listeningScore)}</strong> of 100
        </p>
      )}
      <h3>What the customer said</h3>
      {CUSTOMER_GROUPS.map((group) => {
        const said = customer.filter((m) => m.labels.some((l) => group.labels.includes(l)));
        if (said.length === 0) return null;
        return (
          <div key={group.title} className="said">
            <h4>{group.title}</h4>
            <ul>
              {said.map((m) => (
                <li key={m.id}>
                  <a href={`#message-${m.id}`}>“{m.text.length > 140 ? `${m.text.slice(0, 140)}…` : m.text}”</a>
                </li>
              ))}
            </ul>
          </div>
        );
      })}
      {customer.every((m) => m.labels.length === 0) && <p className="muted">No requests, refusals or limits found.</p>}
      <h3>Findings</h3>
      {listening && listening.findings.length > 0 ? (
        <ul className="findings">
          {listening.findings.map((f, i) => (
            <li key={i} className={`finding ${f.type}${active === i ? ' active' : ''}`}>
              <strong>{findingTitle(f.type)}</strong>
              <p>{f.evidence}</p>
              <button type="button" onClick={() => show(i)} aria-pressed={active === i}>
                Show the evidence
              </button>
            </li>
          ))}
        </ul>
      ) : (
        <p className="muted">No findings.</p>
      )}
    </aside>
  );
}
