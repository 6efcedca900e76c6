import type { ColumnType, Generated, Selectable } from 'kysely';

/** A timestamp the database fills in by default; read back as a Date. */
type CreatedAt = ColumnType<Date, Date | string | undefined, Date | string>;
type Timestamp = ColumnType<Date, Date | string, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
type Json<T> = ColumnType<T, string, string>;

export interface TenantsTable {
  id: string;
  slug: string;
  name: string;
  created_at: CreatedAt;
}

export interface ApiTokensTable {
  token_hash: string;
  id: string;
  tenant_id: string;
  name: string;
  created_at: CreatedAt;
  expires_at: NullableTimestamp;
  revoked_at: NullableTimestamp;
  scopes: ColumnType<string[], string[] | undefined, string[]>;
  created_by: ColumnType<string, string | undefined, string>;
}

export interface SessionsTable {
  tenant_id: string;
  id: string;
  token_hash: string;
  kind: 'agent' | 'customer';
  agent_id: string | null;
  customer_id: string | null;
  created_at: CreatedAt;
  last_seen_at: CreatedAt;
  expires_at: Timestamp;
  revoked_at: NullableTimestamp;
  user_agent: string | null;
}

export interface MagicLinksTable {
  tenant_id: string;
  id: string;
  token_hash: string;
  customer_id: string;
  expires_at: Timestamp;
  used_at: NullableTimestamp;
  created_at: CreatedAt;
}

export interface RecordReadsTable {
  tenant_id: string;
  id: string;
  at: CreatedAt;
  actor: string;
  customer_id: string;
  what: string;
}

export interface TeamsTable {
  tenant_id: string;
  id: string;
  name: string;
  route_cursor: ColumnType<number, number | undefined, number>;
  created_at: CreatedAt;
  updated_at: CreatedAt;
}

export type AgentRole = 'agent' | 'lead' | 'compliance' | 'admin';

export interface AgentsTable {
  tenant_id: string;
  id: string;
  name: string;
  email: string;
  role: AgentRole;
  team_id: string | null;
  password_hash: ColumnType<string | null, string | null | undefined, string | null>;
  available: ColumnType<boolean, boolean | undefined, boolean>;
  max_open: ColumnType<number, number | undefined, number>;
  created_at: CreatedAt;
  updated_at: CreatedAt;
}

export interface CustomersTable {
  tenant_id: string;
  id: string;
  name: string;
  emails: ColumnType<string[], string[] | undefined, string[]>;
  phones: ColumnType<string[], string[] | undefined, string[]>;
  external_id: string | null;
  time_zone: string | null;
  locale: string | null;
  attributes: Json<Record<string, unknown>>;
  customer_since: ColumnType<string | null, string | null | undefined, string | null>;
  closed_at: NullableTimestamp;
  erased_at: NullableTimestamp;
  created_at: CreatedAt;
  updated_at: CreatedAt;
}

export type Channel = 'email' | 'chat' | 'phone' | 'portal' | 'social';
export type ConversationStatus = 'open' | 'pending' | 'resolved' | 'closed';

export interface ConversationsTable {
  tenant_id: string;
  id: string;
  customer_id: string;
  channel: Channel;
  subject: string;
  severity: string;
  status: ConversationStatus;
  assignee_id: string | null;
  team_id: string | null;
  tags: ColumnType<string[], string[] | undefined, string[]>;
  first_reply_at: NullableTimestamp;
  waiting_since: NullableTimestamp;
  last_customer_message_at: NullableTimestamp;
  listening: ColumnType<unknown, string | null | undefined, string | null>;
  search: ColumnType<string, never, never>;
  kind: ColumnType<'customer' | 'root_cause', 'customer' | 'root_cause' | undefined, 'customer' | 'root_cause'>;
  resolved_at: NullableTimestamp;
  charter_version: number | null;
  tier: string | null;
  opened_spend_minor: number | null;
  first_response_due_at: NullableTimestamp;
  resolution_due_at: NullableTimestamp;
  min_first_response_due_at: NullableTimestamp;
  min_resolution_due_at: NullableTimestamp;
  first_response_business_minutes: number | null;
  sla_state: SlaState | null;
  created_at: CreatedAt;
  updated_at: CreatedAt;
}

export type SlaState = 'on_track' | 'at_risk' | 'breached' | 'met';

export interface CharterVersionsTable {
  tenant_id: string;
  version: number;
  source: string;
  document: Json<unknown>;
  effective_at: Timestamp;
  change_note: string | null;
  published_at: CreatedAt;
  published_by: string;
}

export interface SpendEntriesTable {
  tenant_id: string;
  id: string;
  customer_id: string;
  amount_minor: number;
  currency: string;
  at: Timestamp;
  source: string;
  external_id: string;
  created_at: CreatedAt;
}

export interface CharterExceptionsTable {
  tenant_id: string;
  id: string;
  customer_id: string;
  what: string;
  reason: string;
  approver_id: string;
  expires_at: Timestamp;
  created_by: string;
  created_at: CreatedAt;
}

export interface ConversationLinksTable {
  tenant_id: string;
  case_id: string;
  conversation_id: string;
}

export interface CustomerClosuresTable {
  tenant_id: string;
  id: string;
  customer_id: string;
  reason: string;
  note: string | null;
  state: 'awaiting_approval' | 'approved' | 'rejected';
  requested_by: string;
  lead_approver_id: string | null;
  compliance_approver_id: string | null;
  created_at: CreatedAt;
  decided_at: NullableTimestamp;
}

export type MessageRole = 'customer' | 'agent' | 'system';
export type Visibility = 'public' | 'internal';

export interface MessagesTable {
  tenant_id: string;
  id: string;
  conversation_id: string;
  role: MessageRole;
  author_id: string | null;
  text: string;
  visibility: Visibility;
  labels: ColumnType<string[], string[] | undefined, string[]>;
  created_at: CreatedAt;
}

/** The RFC 5322 Message-ID of a message that came in or went out by e-mail (migration 0019). */
export interface EmailMessagesTable {
  tenant_id: string;
  message_id: string;
  header_id: string;
  direction: 'in' | 'out';
  address: string | null;
  mailbox: string | null;
  created_at: CreatedAt;
}

/** A file that came with an e-mail, kept in the database with its size and SHA-256. */
export interface AttachmentsTable {
  tenant_id: string;
  id: string;
  message_id: string;
  filename: string;
  content_type: string;
  size: number;
  sha256: string;
  // pg reads bytea as a Buffer, PGlite as a Uint8Array.
  content: Uint8Array;
  created_at: CreatedAt;
}

export interface AuditLogTable {
  tenant_id: string;
  id: string;
  /** Written by the application (whole milliseconds), so the chain hash can be recomputed. */
  at: Timestamp;
  actor: string;
  action: string;
  entity_type: string;
  entity_id: string;
  fields: ColumnType<string[], string[] | undefined, string[]>;
  /** Position in the tenant's hash chain, from 1 (see src/domain/audit-chain.ts). */
  seq: number;
  prev_hash: string;
  hash: string;
}

/** Each tenant's chain head: the last seq and hash, locked by every writer. */
export interface AuditHeadsTable {
  tenant_id: string;
  seq: number;
  hash: string;
}

/** A signed statement that a tenant's chain had this hash at this seq. */
export interface AuditCheckpointsTable {
  tenant_id: string;
  seq: number;
  hash: string;
  signed_at: Timestamp;
  key_id: string;
  /** Ed25519 over checkpointMessage(), base64. */
  signature: string;
}

export interface IdempotencyKeysTable {
  tenant_id: string;
  route: string;
  key: string;
  request_hash: string;
  state: 'in_flight' | 'done';
  response_status: number | null;
  response_body: ColumnType<unknown, string | null | undefined, string | null>;
  created_at: CreatedAt;
  locked_until: Timestamp;
}

export interface OutboxTable {
  tenant_id: string;
  id: string;
  kind: string;
  payload: Json<Record<string, unknown>>;
  state: ColumnType<'pending' | 'done' | 'dead', 'pending' | undefined, 'pending' | 'done' | 'dead'>;
  attempts: Generated<number>;
  run_after: CreatedAt;
  last_error: string | null;
  created_at: CreatedAt;
  done_at: NullableTimestamp;
}

export interface ProductsTable {
  tenant_id: string;
  id: string;
  name: string;
  description: string | null;
  features: ColumnType<Array<{ name: string; benefit: string }>, string | undefined, string>;
  created_at: CreatedAt;
}

export interface PlansTable {
  tenant_id: string;
  id: string;
  product_id: string;
  name: string;
  price_minor: ColumnType<number, number, number>;
  currency: string;
  interval: 'month' | 'year';
  features: ColumnType<string[], string[] | undefined, string[]>;
  limits: Json<Record<string, number>>;
  created_at: CreatedAt;
}

/** One stored price-history entry (ISO date-time strings in jsonb). */
export interface StoredPricePoint {
  priceMinor: number;
  from: string;
}

export interface SubscriptionsTable {
  tenant_id: string;
  id: string;
  customer_id: string;
  plan_id: string;
  status: 'trialing' | 'active' | 'paused' | 'cancelled';
  current_period_start: Timestamp;
  current_period_end: Timestamp;
  price_history: Json<StoredPricePoint[]>;
  renews_at: NullableTimestamp;
  started_at: Timestamp;
  reference: string;
  /** When a trial ends and billing starts (status `trialing` until then); null without a trial. */
  trial_ends_at: NullableTimestamp;
  created_at: CreatedAt;
}

export interface UsageEventsTable {
  tenant_id: string;
  id: string;
  customer_id: string;
  unit: string;
  quantity: number;
  at: Timestamp;
  external_id: string;
  created_at: CreatedAt;
}

export interface CancellationsTable {
  tenant_id: string;
  id: string;
  subscription_id: string;
  /** The domain machine's CancellationState as JSON (dates as ISO strings). */
  state: Json<Record<string, unknown>>;
  status: string;
  channel: string;
  reason: string | null;
  timing: 'period_end' | 'immediate';
  /** The clarification or offer computed for this attempt (what may be shown), if any. */
  shown: ColumnType<Record<string, unknown> | null, string | null, string | null>;
  effective_at: NullableTimestamp;
  refund_minor: number | null;
  reference: string;
  created_at: CreatedAt;
  confirmed_at: NullableTimestamp;
  /** API steps the customer took in this attempt: request, decline or accept, confirm. */
  steps: ColumnType<number, number | undefined, number>;
  /** When the attempt ended without a cancellation (withdrawn, offer accepted) or was reversed. */
  ended_at: NullableTimestamp;
}

/** Single-use reversal tokens of logged-out cancellations; only the hash is stored. */
export interface CancellationReversalsTable {
  tenant_id: string;
  id: string;
  cancellation_id: string;
  token_hash: string;
  expires_at: Timestamp;
  used_at: NullableTimestamp;
  created_at: CreatedAt;
}

/** The embedded billing ledger: renewal charges and their refunds (amounts positive; `kind` gives the sign). */
export interface ChargesTable {
  tenant_id: string;
  id: string;
  subscription_id: string;
  customer_id: string;
  kind: 'charge' | 'refund';
  amount_minor: ColumnType<number, number, number>;
  currency: string;
  period_start: NullableTimestamp;
  period_end: NullableTimestamp;
  at: Timestamp;
  external_id: string;
  /** The invoice a charge belongs to (always set for charges), or the one a refund gives money back on. */
  invoice_id: ColumnType<string | null, string | null | undefined, string | null>;
  created_at: CreatedAt;
}

/** The per-tenant counter of invoice numbers; its row is locked by the charging transaction (gap-free). */
export interface InvoiceSequencesTable {
  tenant_id: string;
  last_number: ColumnType<number, number, number>;
}

/** An invoice of the embedded ledger: one per charge (see migration 0011). */
export interface InvoicesTable {
  tenant_id: string;
  id: string;
  number: ColumnType<number, number, number>;
  customer_id: string;
  subscription_id: string;
  currency: string;
  period_start: NullableTimestamp;
  period_end: NullableTimestamp;
  issued_at: Timestamp;
  subtotal_minor: ColumnType<number, number, number>;
  credit_applied_minor: ColumnType<number, number | undefined, number>;
  /** subtotal − credit applied: what was charged. */
  total_minor: ColumnType<number, number, number>;
  external_id: string;
  created_at: CreatedAt;
}

/** A line of an invoice: the plan for its period (positive) or a credit applied (negative). */
export interface InvoiceLinesTable {
  tenant_id: string;
  id: string;
  invoice_id: string;
  position: number;
  kind: 'plan' | 'credit';
  description: string;
  period_start: NullableTimestamp;
  period_end: NullableTimestamp;
  amount_minor: ColumnType<number, number, number>;
  created_at: CreatedAt;
}

/** Account credit granted to a customer (see migration 0011). */
export interface CreditsTable {
  tenant_id: string;
  id: string;
  customer_id: string;
  amount_minor: ColumnType<number, number, number>;
  currency: string;
  reason: string;
  granted_by: string;
  granted_at: Timestamp;
  created_at: CreatedAt;
}

/** The credit a customer has left per currency; the row is the lock against spending it twice. */
export interface CreditBalancesTable {
  tenant_id: string;
  customer_id: string;
  currency: string;
  balance_minor: ColumnType<number, number, number>;
}

export type CancelRequestStatus = 'open' | 'carried_out' | 'dismissed';

/** A cancel request raised in a conversation (see migration 0009). */
export interface CancelRequestsTable {
  tenant_id: string;
  id: string;
  conversation_id: string;
  customer_id: string;
  message_id: string;
  subscription_id: string | null;
  status: CancelRequestStatus;
  requested_at: Timestamp;
  due_at: Timestamp;
  charter_version: number | null;
  sla_state: SlaState;
  clarification_message_id: string | null;
  cancellation_id: string | null;
  cancellation_reference: string | null;
  dismiss_reason: string | null;
  closed_at: NullableTimestamp;
  closed_by: string | null;
  created_at: CreatedAt;
}

/** An announced change of a plan's price (see migration 0010). */
export interface PriceChangesTable {
  tenant_id: string;
  id: string;
  plan_id: string;
  price_minor: ColumnType<number, number, number>;
  effective_at: Timestamp;
  reason: string;
  announced_at: Timestamp;
  announced_by: string;
  applied_at: NullableTimestamp;
  created_at: CreatedAt;
}

/** An announced change of a plan's terms other than its price (see migration 0013). */
export interface TermChangesTable {
  tenant_id: string;
  id: string;
  plan_id: string;
  summary: string;
  details: string | null;
  effective_at: Timestamp;
  announced_at: Timestamp;
  announced_by: string;
  created_at: CreatedAt;
}

export type NoticeKind = 'price_change' | 'terms_change' | 'annual_reminder' | 'trial_reminder';

/** A notice sent before the fact, once per subscription, kind and period. */
export interface NoticesTable {
  tenant_id: string;
  id: string;
  subscription_id: string;
  customer_id: string;
  kind: NoticeKind;
  period_key: string;
  price_change_id: string | null;
  term_change_id: string | null;
  sent_at: Timestamp;
  to_address: string | null;
  subject: string;
  figures: Json<Record<string, unknown>>;
  email_job_id: string | null;
  created_at: CreatedAt;
}

/** One record of the consent ledger (append-only; the latest per purpose decides). */
export interface ConsentsTable {
  tenant_id: string;
  id: string;
  customer_id: string;
  purpose: 'hard_credit_inquiry' | 'soft_credit_inquiry' | 'marketing_contact' | 'call_recording' | 'auto_renewal';
  status: 'granted' | 'refused' | 'withdrawn';
  scope: string;
  evidence_message_id: string | null;
  screen_version: string | null;
  text_hash: string | null;
  at: Timestamp;
  expires_at: NullableTimestamp;
  recorded_by: string;
  created_at: CreatedAt;
}

/** A credit check: hard or soft (through the bureau port, on a consent) or an estimate (no bureau). */
export interface CreditInquiriesTable {
  tenant_id: string;
  id: string;
  customer_id: string;
  kind: 'hard' | 'soft' | 'estimate';
  consent_id: string | null;
  reason: string;
  status: 'pending' | 'completed' | 'failed';
  result: ColumnType<Record<string, unknown> | null, string | null | undefined, string | null>;
  error: string | null;
  at: Timestamp;
  completed_at: NullableTimestamp;
  actor: string;
  created_at: CreatedAt;
}

/** The whole database as Kysely sees it. */
export interface ProductFitsTable {
  tenant_id: string;
  id: string;
  product_id: string;
  version: number;
  source: string;
  fit: Json<Record<string, unknown>>;
  created_at: CreatedAt;
}

export interface CampaignsTable {
  tenant_id: string;
  id: string;
  name: string;
  product_ids: string[];
  /** Target-market conditions (all must hold) the campaign's audience is chosen by. */
  audience: Json<Array<Record<string, unknown>>>;
  situation: string;
  owner_id: string;
  created_at: CreatedAt;
}

export type OfferStatus = 'refused' | 'presented' | 'awaiting_extra_care' | 'accepted' | 'declined';

export interface OffersTable {
  tenant_id: string;
  id: string;
  customer_id: string;
  product_id: string;
  plan_id: string | null;
  fit_version: number | null;
  conversation_id: string | null;
  campaign_id: string | null;
  cancellation_id: string | null;
  agent_id: string | null;
  status: OfferStatus;
  /** The gate decision (domain GateDecision) as JSON. */
  decision: Json<Record<string, unknown>>;
  /** What the decision was made from: customer facts, the value with its terms, the context. */
  inputs: Json<Record<string, unknown>>;
  value_minor: ColumnType<number | null, number | null | undefined, number | null>;
  currency: string | null;
  stated_need: string | null;
  presented_at: CreatedAt;
  lead_reviewed_at: NullableTimestamp;
  lead_reviewed_by: string | null;
  key_facts_read_at: NullableTimestamp;
  decided_at: NullableTimestamp;
  created_at: CreatedAt;
}

export interface OfferOutcomesTable {
  tenant_id: string;
  id: string;
  offer_id: string;
  kind: 'complaint' | 'refund' | 'cancellation';
  upheld: boolean | null;
  at: Timestamp;
  note: string | null;
  recorded_by: string;
  created_at: CreatedAt;
}

export interface WebhookEndpointsTable {
  tenant_id: string;
  id: string;
  url: string;
  description: string | null;
  events: ColumnType<string[], string[], string[]>;
  enabled: ColumnType<boolean, boolean | undefined, boolean>;
  secret: string;
  previous_secret: string | null;
  previous_secret_expires_at: NullableTimestamp;
  secret_rotated_at: NullableTimestamp;
  created_by: string;
  created_at: CreatedAt;
  updated_at: CreatedAt;
}

export type WebhookDeliveryStatus = 'pending' | 'retrying' | 'succeeded' | 'failed';

export interface WebhookDeliveriesTable {
  tenant_id: string;
  id: string;
  endpoint_id: string;
  event_id: string;
  event_type: string;
  /** The exact JSON text sent: every retry and replay sends these bytes. */
  body: string;
  status: ColumnType<WebhookDeliveryStatus, WebhookDeliveryStatus | undefined, WebhookDeliveryStatus>;
  attempts: Generated<number>;
  last_status_code: number | null;
  last_error: string | null;
  last_attempt_at: NullableTimestamp;
  succeeded_at: NullableTimestamp;
  created_at: CreatedAt;
}

export interface WebhookDeliveryAttemptsTable {
  tenant_id: string;
  id: string;
  delivery_id: string;
  job_id: string;
  replay: boolean;
  at: Timestamp;
  duration_ms: number;
  status_code: number | null;
  error: string | null;
  created_at: CreatedAt;
}

export interface DB {
  tenants: TenantsTable;
  api_tokens: ApiTokensTable;
  teams: TeamsTable;
  agents: AgentsTable;
  customers: CustomersTable;
  conversations: ConversationsTable;
  messages: MessagesTable;
  audit_log: AuditLogTable;
  audit_heads: AuditHeadsTable;
  audit_checkpoints: AuditCheckpointsTable;
  idempotency_keys: IdempotencyKeysTable;
  outbox: OutboxTable;
  charter_versions: CharterVersionsTable;
  spend_entries: SpendEntriesTable;
  charter_exceptions: CharterExceptionsTable;
  conversation_links: ConversationLinksTable;
  customer_closures: CustomerClosuresTable;
  sessions: SessionsTable;
  magic_links: MagicLinksTable;
  record_reads: RecordReadsTable;
  products: ProductsTable;
  product_fits: ProductFitsTable;
  campaigns: CampaignsTable;
  offers: OffersTable;
  offer_outcomes: OfferOutcomesTable;
  plans: PlansTable;
  subscriptions: SubscriptionsTable;
  usage_events: UsageEventsTable;
  cancellations: CancellationsTable;
  charges: ChargesTable;
  cancellation_reversals: CancellationReversalsTable;
  cancel_requests: CancelRequestsTable;
  price_changes: PriceChangesTable;
  term_changes: TermChangesTable;
  notices: NoticesTable;
  invoice_sequences: InvoiceSequencesTable;
  invoices: InvoicesTable;
  invoice_lines: InvoiceLinesTable;
  credits: CreditsTable;
  credit_balances: CreditBalancesTable;
  consents: ConsentsTable;
  credit_inquiries: CreditInquiriesTable;
  webhook_endpoints: WebhookEndpointsTable;
  webhook_deliveries: WebhookDeliveriesTable;
  webhook_delivery_attempts: WebhookDeliveryAttemptsTable;
  email_messages: EmailMessagesTable;
  attachments: AttachmentsTable;
  import_runs: ImportRunsTable;
  external_refs: ExternalRefsTable;
}

/** One run of an importer; `checkpoint` = records committed (see migration 0018). */
export interface ImportRunsTable {
  tenant_id: string;
  id: string;
  kind: 'zendesk' | 'customers-csv' | 'transcripts' | 'usage' | 'billing';
  source_name: string;
  file_sha256: string;
  status: 'running' | 'completed';
  checkpoint: ColumnType<number, number | undefined, number>;
  summary: Json<Record<string, unknown>>;
  actor: string;
  started_at: CreatedAt;
  updated_at: CreatedAt;
  finished_at: NullableTimestamp;
}

/** A record of another system and the row imported from it. */
export interface ExternalRefsTable {
  tenant_id: string;
  source: string;
  kind: string;
  external_id: string;
  entity_id: string;
  fingerprint: string;
  created_at: CreatedAt;
  updated_at: CreatedAt;
}

export type ImportRunRow = Selectable<ImportRunsTable>;
export type ExternalRefRow = Selectable<ExternalRefsTable>;
export type TenantRow = Selectable<TenantsTable>;
export type TeamRow = Selectable<TeamsTable>;
export type AgentRow = Selectable<AgentsTable>;
export type CustomerRow = Selectable<CustomersTable>;
export type ConversationRow = Selectable<ConversationsTable>;
export type MessageRow = Selectable<MessagesTable>;
export type OutboxRow = Selectable<OutboxTable>;
export type CharterVersionRow = Selectable<CharterVersionsTable>;
export type SpendEntryRow = Selectable<SpendEntriesTable>;
export type CharterExceptionRow = Selectable<CharterExceptionsTable>;
export type CustomerClosureRow = Selectable<CustomerClosuresTable>;
export type SessionRow = Selectable<SessionsTable>;
export type ApiTokenRow = Selectable<ApiTokensTable>;
export type ProductRow = Selectable<ProductsTable>;
export type PlanRow = Selectable<PlansTable>;
export type SubscriptionRow = Selectable<SubscriptionsTable>;
export type UsageEventRow = Selectable<UsageEventsTable>;
export type CancellationRow = Selectable<CancellationsTable>;
export type ChargeRow = Selectable<ChargesTable>;
export type CancelRequestRow = Selectable<CancelRequestsTable>;
export type PriceChangeRow = Selectable<PriceChangesTable>;
export type TermChangeRow = Selectable<TermChangesTable>;
export type NoticeRow = Selectable<NoticesTable>;
export type InvoiceRow = Selectable<InvoicesTable>;
export type InvoiceLineRow = Selectable<InvoiceLinesTable>;
export type CreditRow = Selectable<CreditsTable>;
export type ProductFitRow = Selectable<ProductFitsTable>;
export type CampaignRow = Selectable<CampaignsTable>;
export type OfferRow = Selectable<OffersTable>;
export type OfferOutcomeRow = Selectable<OfferOutcomesTable>;
export type ConsentRow = Selectable<ConsentsTable>;
export type CreditInquiryRow = Selectable<CreditInquiriesTable>;
export type WebhookEndpointRow = Selectable<WebhookEndpointsTable>;
export type WebhookDeliveryRow = Selectable<WebhookDeliveriesTable>;
export type WebhookDeliveryAttemptRow = Selectable<WebhookDeliveryAttemptsTable>;
export type EmailMessageRow = Selectable<EmailMessagesTable>;
export type AttachmentRow = Selectable<AttachmentsTable>;
