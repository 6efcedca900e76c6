import { useEffect, useState } from 'react';
import type { z } from 'zod';
import { AgentList } from '../../../src/contracts/agents.ts';
import { CampaignList, OfferList, type Offer } from '../../../src/contracts/offers.ts';
import { api } from '../api.ts';
import { formatDateTime, formatMoney } from '../format.ts';
import { Link, PageHeading } from '../router.tsx';
import { FilterBar, PagedListView, useFilters } from '../lists/FilterBar.tsx';
import { usePagedList } from '../lists/usePagedList.ts';
import { GATE_NAMES, harmWords, needWords, robustnessWords, STATUS_WORDS, termLine } from './words.ts';
import './offers.css';

const STATUSES = Object.keys(STATUS_WORDS) as Array<Offer['status']>;
const GATE_MARK = { passed: '✓ Passed', failed: '✗ Failed', pending: '… Pending' } as const;

type Named = Map<string, string>;
/** Offers per page ("More" loads the next). */
const PAGE = 20;

/** Every page of a small list (agents, campaigns) for the filters' names; a tenant has few of them. */
async function names(schema: typeof AgentList | typeof CampaignList, path: string, signal: AbortSignal): Promise<Named> {
  const found: Named = new Map();
  let cursor: string | null = null;
  for (let page = 0; page < 10; page++) {
    const list: { data: Array<{ id: string; name: string }>; nextCursor: string | null } = await api(schema as z.ZodType<{ data: Array<{ id: string; name: string }>; nextCursor: string | null }>, `${path}?limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, { signal });
    for (const x of list.data) found.set(x.id, x.name);
    cursor = list.nextCursor;
    if (!cursor) break;
  }
  return found;
}

const FILTERS = ['status', 'agentId', 'campaignId'] as const;

/**
 * Offer decisions (GET /api/v1/offers), newest first, for compliance: each offer with the gates it
 * went through (passed, failed or pending, with reasons), the value terms, the fit version, the key
 * facts shown and what happened after. Filters by status, agent and campaign live in the address;
 * "More" follows the keyset cursor.
 */
export function OfferDecisionsPage() {
  const { filter, key } = useFilters(FILTERS);
  const [agents, setAgents] = useState<Named>(new Map());
  const [campaigns, setCampaigns] = useState<Named>(new Map());

  useEffect(() => {
    const ctl = new AbortController();
    names(AgentList, '/api/v1/agents', ctl.signal).then(setAgents, () => undefined);
    names(CampaignList, '/api/v1/campaigns', ctl.signal).then(setCampaigns, () => undefined);
    return () => ctl.abort();
  }, []);

  const list = usePagedList(
    OfferList,
    (after) => {
      const q = new URLSearchParams({ limit: String(PAGE) });
      if (filter.status) q.set('status', filter.status);
      if (filter.agentId) q.set('agentId', filter.agentId);
      if (filter.campaignId) q.set('campaignId', filter.campaignId);
      if (after) q.set('cursor', after);
      return `/api/v1/offers?${q}`;
    },
    key,
  );

  const agentName = (id: string | null) => (id === null ? 'no agent (the customer\'s own flow)' : (agents.get(id) ?? `agent ${id.slice(-6)}`));

  return (
    <div className="decisions">
      <PageHeading title="Offer decisions · Fairdesk">Offer decisions</PageHeading>
      <p className="report-intro">
        Every offer considered for a customer, newest first, with the gates it went through and their reasons, the value to the customer term by term, the product fit
        version and key facts shown, and what happened after the sale.
      </p>
      <FilterBar names={FILTERS} label="Filter offers" filterKey={key}>
        <label>
          Status
          <select name="status" defaultValue={filter.status}>
            <option value="">any</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {STATUS_WORDS[s]}
              </option>
            ))}
          </select>
        </label>
        <label>
          Agent
          <select name="agentId" defaultValue={filter.agentId}>
            <option value="">any</option>
            {[...agents].map(([id, name]) => (
              <option key={id} value={id}>
                {name}
              </option>
            ))}
          </select>
        </label>
        <label>
          Campaign
          <select name="campaignId" defaultValue={filter.campaignId}>
            <option value="">any</option>
            {[...campaigns].map(([id, name]) => (
              <option key={id} value={id}>
                {name}
              </option>
            ))}
          </select>
        </label>
      </FilterBar>
      <PagedListView list={list} noun={['offer', 'offers']}>
        {(offers) => (
          <ul className="decision-list" aria-label="Offer decisions, newest first">
            {offers.map((o) => (
              <Decision key={o.id} offer={o} agentName={agentName} campaignName={o.campaignId ? (campaigns.get(o.campaignId) ?? 'a campaign') : null} />
            ))}
          </ul>
        )}
      </PagedListView>
    </div>
  );
}

function Decision({ offer: o, agentName, campaignName }: { offer: Offer; agentName: (id: string | null) => string; campaignName: string | null }) {
  const context = o.conversationId ? 'in a conversation' : o.campaignId ? `under campaign "${campaignName}"` : o.cancellationId ? 'in the cancellation flow' : '';
  return (
    <li className="decision">
      <details>
        <summary>
          <time dateTime={o.presentedAt}>{formatDateTime(o.presentedAt)}</time>
          <strong>{o.productName}</strong>
          <span className="badge">{STATUS_WORDS[o.status]}</span>
          <span>by {agentName(o.agentId)}</span>
          {o.harms.length > 0 && <span className="badge warn">Harm: {o.harms.map(harmWords).join(', ')}</span>}
        </summary>
        <div className="decision-body">
          <div>
            <h3>Gates ({o.decision.version}: {o.decision.outcome.replace('_', ' ')})</h3>
            <ul aria-label={`Gates: ${o.productName}`}>
              {o.decision.gates.map((g) => (
                <li key={g.gate}>
                  <span className={`gate-status ${g.status}`}>{GATE_MARK[g.status]}</span> — {GATE_NAMES[g.gate]}
                  <ul>
                    {g.reasons.map((r, i) => (
                      <li key={i}>{r}</li>
                    ))}
                  </ul>
                </li>
              ))}
            </ul>
            <h3>Context</h3>
            <ul>
              <li>
                Made {context}
                {o.conversationId && (
                  <>
                    {' '}
                    (<Link to={`/inbox/${o.conversationId}`}>open the conversation</Link>)
                  </>
                )}
                ; <Link to={`/customers/${o.customerId}`}>open the customer</Link>
              </li>
              <li>Need stated: {o.statedNeed ? needWords(o.statedNeed) : 'none'}</li>
              <li>Product fit version: {o.fitVersion ?? 'none published'}</li>
              {o.extraCare.required && (
                <li>
                  Extra care: lead review {o.extraCare.leadReviewedAt ? formatDateTime(o.extraCare.leadReviewedAt) : 'pending'}; key facts read{' '}
                  {o.extraCare.keyFactsReadAt ? formatDateTime(o.extraCare.keyFactsReadAt) : 'not yet'}
                  {o.extraCare.decisionNotBefore ? `; decision not before ${formatDateTime(o.extraCare.decisionNotBefore)}` : ''}
                </li>
              )}
              <li>{o.decidedAt ? `Answered ${formatDateTime(o.decidedAt)}` : 'Not answered'}</li>
            </ul>
          </div>
          <div>
            <h3>Value to the customer</h3>
            {o.value ? (
              <>
                <p>
                  {formatMoney(o.value.yearlyMinor, o.value.currency)} a year over their last {o.value.months} months; {robustnessWords(o.value.robustness)}
                </p>
                <ul>
                  {o.value.terms.map((t, i) => (
                    <li key={i}>{termLine(t, o.value!.currency)}</li>
                  ))}
                </ul>
              </>
            ) : (
              <p>Not worked out (no product fit).</p>
            )}
            <h3>Key facts shown</h3>
            {o.keyFacts ? <p className="key-facts">{o.keyFacts}</p> : <p>None.</p>}
            <h3>After the sale</h3>
            {o.outcomes.length === 0 ? (
              <p>{o.status === 'accepted' ? 'Nothing recorded.' : 'Not a sale.'}</p>
            ) : (
              <ul>
                {o.outcomes.map((x, i) => (
                  <li key={i}>
                    {x.at ? `${formatDateTime(x.at)}: ` : ''}
                    {x.kind.replace(/_/g, ' ')}
                    {x.harmful ? ' (harmful)' : ''}
                    {x.detail ? ` — ${x.detail}` : ''}
                  </li>
                ))}
              </ul>
            )}
          </div>
        </div>
      </details>
    </li>
  );
}
