import { useCallback, useEffect, useState } from 'react';
import { Conversation as ConversationSchema, type Conversation } from '../../../src/contracts/conversations.ts';
import { api, messageOf } from '../api.ts';
import { formatDateTime, humanize } from '../format.ts';
import { Link, PageHeading } from '../router.tsx';
import { SlaBadge } from './Inbox.tsx';
import { ListeningPanel } from './ListeningPanel.tsx';
import { CancelRequestBanner } from './CancelRequestBanner.tsx';
import { Messages } from './Messages.tsx';
import { ReplyBox } from './ReplyBox.tsx';
import { EntitlementsPanel } from './EntitlementsPanel.tsx';
import { CustomerLink } from './CustomerLink.tsx';
import { OffersPanel } from './OffersPanel.tsx';
import { ConsentsPanel } from './ConsentsPanel.tsx';

/** One conversation: the messages with evidence highlighted, the reply box, and the listening panel. */
export function ConversationPage({ id }: { id: string }) {
  const [conversation, setConversation] = useState<Conversation | null>(null);
  const [error, setError] = useState('');
  /** The finding whose evidence is emphasised (chosen in the listening panel). */
  const [active, setActive] = useState<number | null>(null);

  const load = useCallback(async (signal?: AbortSignal) => {
    try {
      setConversation(await api(ConversationSchema, `/api/v1/conversations/${encodeURIComponent(id)}`, signal ? { signal } : {}));
    } catch (err) {
      const message = messageOf(err);
      if (message) setError(message);
    }
  }, [id]);

  useEffect(() => {
    const ctl = new AbortController();
    void load(ctl.signal);
    return () => ctl.abort();
  }, [load]);

  if (error)
    return (
      <>
        <PageHeading title="Conversation · Fairdesk">Conversation</PageHeading>
        <p role="alert" className="error">
          {error}
        </p>
        <Link to="/inbox">Back to the inbox</Link>
      </>
    );
  if (!conversation) return <p role="status">Loading…</p>;

  const findings = conversation.listening?.findings ?? [];
  return (
    <div className="conversation">
      <div className="conversation-head">
        <Link to="/inbox" className="back">
          ← Inbox
        </Link>
        <PageHeading title={`${conversation.subject} · Fairdesk`}>{conversation.subject}</PageHeading>
        <p className="meta">
          <SlaBadge sla={conversation.sla} />
          <span className="badge">{humanize(conversation.status)}</span>
          <span>{humanize(conversation.channel)}</span>
          <span>Severity: {humanize(conversation.severity)}</span>
          <span>Opened {formatDateTime(conversation.createdAt)}</span>
          <CustomerLink customerId={conversation.customerId} />
        </p>
      </div>
      <div className="conversation-banner">
        <CancelRequestBanner conversation={conversation} onDone={() => load()} />
      </div>
      <section className="thread" aria-labelledby="messages-title">
        <h2 id="messages-title">Messages</h2>
        <Messages messages={conversation.messages} findings={findings} active={active} />
        <ReplyBox conversationId={conversation.id} onSent={() => load()} />
      </section>
      <div className="conversation-side">
        {/* What the customer asked for and refused comes first: it is what the agent must not miss. */}
        <ListeningPanel conversation={conversation} active={active} onSelect={setActive} />
        <EntitlementsPanel customerId={conversation.customerId} />
        <OffersPanel customerId={conversation.customerId} conversationId={conversation.id} />
        <ConsentsPanel customerId={conversation.customerId} messages={conversation.messages} />
      </div>
    </div>
  );
}
