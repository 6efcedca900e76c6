import { TenantConsentList } from '../../../src/contracts/consents.ts';
import { CONSENT_PURPOSES, PURPOSE_WORDS, RECORD_WORDS, recordedByWords, screenEvidenceWords } from '../consents/words.ts';
import { formatDateTime } from '../format.ts';
import { useAgentNames } from '../lists/agents.ts';
import { DateRangeFields, FilterBar, LinkedIdField, PagedListView, useFilters } from '../lists/FilterBar.tsx';
import { usePagedList } from '../lists/usePagedList.ts';
import { Link, PageHeading } from '../router.tsx';
import { dayStart } from './words.ts';
import './compliance.css';

const PAGE = 50;
const FILTERS = ['purpose', 'status', 'customerId', 'from', 'to'] as const;

/**
 * The tenant's consent ledger across customers (GET /api/v1/consents, `consents:review`), newest
 * first: who agreed, refused or withdrew what, resting on which evidence, until when, and whether
 * that record is the one in force now. Filters live in the address; "More" follows the cursor.
 */
export function ConsentLedgerPage() {
  const { filter, key } = useFilters(FILTERS);
  const agents = useAgentNames();
  const list = usePagedList(
    TenantConsentList,
    (after) => {
      const q = new URLSearchParams({ limit: String(PAGE) });
      if (filter.purpose) q.set('purpose', filter.purpose);
      if (filter.status) q.set('status', filter.status);
      if (filter.customerId) q.set('customerId', filter.customerId);
      // Whole days in UTC, both included: the API's `to` is exclusive.
      const from = dayStart(filter.from);
      const to = dayStart(filter.to, 1);
      if (from) q.set('from', from);
      if (to) q.set('to', to);
      if (after) q.set('cursor', after);
      return `/api/v1/consents?${q}`;
    },
    key,
  );

  return (
    <div className="compliance">
      <PageHeading title="Consents · Fairdesk">Consents</PageHeading>
      <p className="report-intro">
        Every consent decision customers made, newest first: each grant, refusal and withdrawal is its own record and none is ever changed. “In force” marks the record
        that decides its purpose now (the latest one, if it is a grant that has not expired or been used).
      </p>
      <FilterBar names={FILTERS} label="Filter consents" filterKey={key}>
        <label>
          Purpose
          <select name="purpose" defaultValue={filter.purpose}>
            <option value="">any</option>
            {CONSENT_PURPOSES.map((p) => (
              <option key={p} value={p}>
                {PURPOSE_WORDS[p]}
              </option>
            ))}
          </select>
        </label>
        <label>
          Decision
          <select name="status" defaultValue={filter.status}>
            <option value="">any</option>
            {(['granted', 'refused', 'withdrawn'] as const).map((s) => (
              <option key={s} value={s}>
                {RECORD_WORDS[s]}
              </option>
            ))}
          </select>
        </label>
        <DateRangeFields from={filter.from} to={filter.to} />
        <LinkedIdField label="Customer id" name="customerId" value={filter.customerId} />
      </FilterBar>
      <PagedListView list={list} noun={['record', 'records']}>
        {(items) => (
          <div className="table-scroll">
            <table className="record-table consent-table">
              <caption className="visually-hidden">Consent records, newest first</caption>
              <thead>
                <tr>
                  <th scope="col">When</th>
                  <th scope="col">Customer</th>
                  <th scope="col">Purpose</th>
                  <th scope="col">Decision</th>
                  <th scope="col">In force now</th>
                  <th scope="col">Scope</th>
                  <th scope="col">Evidence</th>
                  <th scope="col">Expires</th>
                  <th scope="col">Recorded by</th>
                </tr>
              </thead>
              <tbody>
                {items.map((c) => (
                  <tr key={c.id}>
                    <td data-label="When">
                      <time dateTime={c.at}>{formatDateTime(c.at)}</time>
                    </td>
                    <td data-label="Customer">
                      <Link to={`/customers/${c.customerId}`}>{c.customerName}</Link>
                    </td>
                    <td data-label="Purpose">{PURPOSE_WORDS[c.purpose]}</td>
                    <td data-label="Decision">{RECORD_WORDS[c.status]}</td>
                    <td data-label="In force now">{c.live ? <strong className="in-force">✓ In force</strong> : <span className="muted">No</span>}</td>
                    <td data-label="Scope">{c.scope}</td>
                    <td data-label="Evidence">
                      {c.evidence.messageId ? (
                        <>
                          the customer’s message <span className="mono">…{c.evidence.messageId.slice(-8)}</span>
                        </>
                      ) : (
                        screenEvidenceWords(c.evidence)
                      )}
                    </td>
                    <td data-label="Expires">{c.expiresAt ? <time dateTime={c.expiresAt}>{formatDateTime(c.expiresAt)}</time> : <span className="muted">—</span>}</td>
                    <td data-label="Recorded by">{recordedByWords(c.recordedBy, agents)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </PagedListView>
    </div>
  );
}
