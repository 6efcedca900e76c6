import { useState } from 'react';
import type { Conversation } from '../../../src/contracts/conversations.ts';
import { CancelRequestCarriedOut, CancelRequestCarryOut } from '../../../src/contracts/cancel-requests.ts';
import { api, messageOf } from '../api.ts';
import { formatDate, formatDateTime } from '../format.ts';
import { SlaBadge } from './Inbox.tsx';

type Carried = ReturnType<typeof CancelRequestCarriedOut.parse>;

/**
 * The customer asked to cancel: the request is in front of the agent with its own clock (same
 * business day) and one action, "Carry out cancellation" — no offer, no hand-off.
 */
export function CancelRequestBanner({ conversation, onDone }: { conversation: Conversation; onDone: () => Promise<void> | void }) {
  const request = conversation.cancelRequest;
  const [done, setDone] = useState<Carried | null>(null);
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  if (!request) return null;
  if (done) {
    const c = done.confirmation;
    return (
      <section className="banner done" aria-labelledby="cancel-request-title">
        <h2 id="cancel-request-title">Cancellation carried out</h2>
        <p role="status">
          Reference {c.reference}. It ends {formatDateTime(c.effectiveAt)}; no charges after {formatDate(c.noChargesAfter)}. The customer is e-mailed the confirmation.
        </p>
      </section>
    );
  }
  if (request.status !== 'open') {
    return request.status === 'carried_out' && request.cancellationReference ? (
      <p className="muted">The customer’s cancellation was carried out (reference {request.cancellationReference}).</p>
    ) : null;
  }
  const carryOut = async () => {
    setBusy(true);
    setError('');
    try {
      const body = CancelRequestCarryOut.parse(request.subscriptionId ? { subscriptionId: request.subscriptionId } : {});
      setDone(await api(CancelRequestCarriedOut, `/api/v1/conversations/${conversation.id}/cancel-request/carry-out`, { method: 'POST', body }));
      await onDone();
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="banner" aria-labelledby="cancel-request-title">
      <h2 id="cancel-request-title">The customer asked to cancel</h2>
      <p>
        Asked <a href={`#message-${request.messageId}`}>{formatDateTime(request.requestedAt)}</a>. Due by <time dateTime={request.dueAt}>{formatDateTime(request.dueAt)}</time>{' '}
        {request.slaState !== 'on_track' && <SlaBadge sla={{ state: request.slaState, firstResponseDueAt: request.dueAt, resolutionDueAt: request.dueAt, charterVersion: 0, tier: null }} />}
      </p>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      <button type="button" className="primary" onClick={carryOut} disabled={busy}>
        {busy ? 'Carrying out…' : 'Carry out cancellation'}
      </button>
    </section>
  );
}
