import type { Migration } from 'kysely';
import * as core from './0001-core.ts';
import * as charter from './0002-charter.ts';
import * as auditChain from './0003-audit-chain.ts';
import * as auth from './0004-auth.ts';
import * as erasure from './0005-erasure.ts';
import * as subscriptions from './0006-subscriptions.ts';
import * as charges from './0007-charges.ts';
import * as cancellationFlow from './0008-cancellation-flow.ts';
import * as cancelRequests from './0009-cancel-requests.ts';
import * as notices from './0010-notices.ts';
import * as invoicesCredits from './0011-invoices-credits.ts';
import * as productFeatures from './0012-product-features.ts';
import * as termChanges from './0013-term-changes.ts';
import * as offers from './0014-offers.ts';
import * as consents from './0015-consents.ts';
import * as auditEntityIndex from './0016-audit-entity-index.ts';
import * as webhooks from './0017-webhooks.ts';
import * as outboxCancellationIndex from './0018-outbox-cancellation-index.ts';
import * as email from './0019-email.ts';
import * as imports from './0020-imports.ts';

/** Forward-only migrations, in order. Never edit one that has shipped; add the next. */
export const migrations: Record<string, Migration> = {
  '0001-core': core,
  '0002-charter': charter,
  '0003-audit-chain': auditChain,
  '0004-auth': auth,
  '0005-erasure': erasure,
  '0006-subscriptions': subscriptions,
  '0007-charges': charges,
  '0008-cancellation-flow': cancellationFlow,
  '0009-cancel-requests': cancelRequests,
  '0010-notices': notices,
  '0011-invoices-credits': invoicesCredits,
  '0012-product-features': productFeatures,
  '0013-term-changes': termChanges,
  '0014-offers': offers,
  '0015-consents': consents,
  '0016-audit-entity-index': auditEntityIndex,
  '0017-webhooks': webhooks,
  '0018-outbox-cancellation-index': outboxCancellationIndex,
  '0019-email': email,
  '0020-imports': imports,
};
