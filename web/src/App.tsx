import type { ReactNode } from 'react';
import { APP_PATHS, type AppPage } from './app-paths.ts';
import { matchPath, navigate, useLocation } from './router.tsx';
import { SignInPage } from './console/SignIn.tsx';
import { ConsoleFrame } from './console/ConsoleFrame.tsx';
import { InboxPage } from './console/Inbox.tsx';
import { ConversationPage } from './console/Conversation.tsx';
import { CustomerPage } from './console/CustomerPage.tsx';
import { PortalFrame } from './portal/PortalFrame.tsx';
import { PortalHome } from './portal/PortalHome.tsx';
import { PortalConversationPage } from './portal/PortalConversation.tsx';
import { SubscriptionsPage } from './portal/Subscriptions.tsx';
import { ConsentsPage } from './portal/Consents.tsx';
import { PortalEntitlementsPage } from './portal/Entitlements.tsx';
import { CancelPage } from './portal/Cancel.tsx';
import { CancelDonePage } from './portal/CancelDone.tsx';
import { CharterPage } from './charter/CharterPage.tsx';
import { useEffect } from 'react';
import { ParityReportPage } from './reports/ParityReport.tsx';
import { ListeningReportPage } from './reports/ListeningReport.tsx';
import { CancellationReportPage } from './reports/CancellationReport.tsx';
import { IncentivesReportPage } from './reports/IncentivesReport.tsx';
import { SlaReportPage } from './reports/SlaReport.tsx';
import { RepeatContactsReportPage } from './reports/RepeatContactsReport.tsx';
import { OfferDecisionsPage } from './offers/OfferDecisions.tsx';
import { AuditLogPage } from './compliance/AuditLog.tsx';
import { ExceptionsPage } from './compliance/Exceptions.tsx';
import { CharterVersionsPage } from './compliance/CharterVersions.tsx';
import { ConsentLedgerPage } from './compliance/ConsentLedger.tsx';
import { CancellationsPage } from './compliance/Cancellations.tsx';

type Params = Record<string, string>;

/** What each of the app's paths shows. */
const PAGES: Record<AppPage, (p: Params) => ReactNode> = {
  home: () => <Redirect to="/inbox" />,
  signIn: () => <SignInPage />,
  inbox: () => (
    <ConsoleFrame>
      <InboxPage />
    </ConsoleFrame>
  ),
  conversation: (p) => (
    <ConsoleFrame>
      <ConversationPage key={p.id} id={p.id!} />
    </ConsoleFrame>
  ),
  customer: (p) => (
    <ConsoleFrame>
      <CustomerPage key={p.id} id={p.id!} />
    </ConsoleFrame>
  ),
  portalHome: (p) => <PortalFrame slug={p.slug!} page={(me) => <PortalHome slug={p.slug!} me={me} />} />,
  portalConversation: (p) => <PortalFrame slug={p.slug!} page={() => <PortalConversationPage key={p.id} slug={p.slug!} id={p.id!} />} />,
  portalSubscriptions: (p) => <PortalFrame slug={p.slug!} page={() => <SubscriptionsPage slug={p.slug!} />} />,
  portalConsents: (p) => <PortalFrame slug={p.slug!} page={() => <ConsentsPage slug={p.slug!} />} />,
  portalEntitlements: (p) => <PortalFrame slug={p.slug!} page={() => <PortalEntitlementsPage slug={p.slug!} />} />,
  // Signed out, the same address is the logged-out cancellation form.
  portalCancel: (p) => <PortalFrame slug={p.slug!} allowSignedOut page={(me) => <CancelPage slug={p.slug!} me={me} />} />,
  portalCancelDone: (p) => <PortalFrame slug={p.slug!} page={(me) => <CancelDonePage slug={p.slug!} me={me} />} />,
  charter: (p) => <CharterPage slug={p.slug!} />,
  reports: () => <Redirect to={`/reports/parity${location.search}`} />,
  reportsParity: () => (
    <ConsoleFrame>
      <ParityReportPage />
    </ConsoleFrame>
  ),
  reportsListening: () => (
    <ConsoleFrame>
      <ListeningReportPage />
    </ConsoleFrame>
  ),
  reportsCancellations: () => (
    <ConsoleFrame>
      <CancellationReportPage />
    </ConsoleFrame>
  ),
  reportsIncentives: () => (
    <ConsoleFrame>
      <IncentivesReportPage />
    </ConsoleFrame>
  ),
  reportsSla: () => (
    <ConsoleFrame>
      <SlaReportPage />
    </ConsoleFrame>
  ),
  reportsRepeatContacts: () => (
    <ConsoleFrame>
      <RepeatContactsReportPage />
    </ConsoleFrame>
  ),
  offerDecisions: () => (
    <ConsoleFrame>
      <OfferDecisionsPage />
    </ConsoleFrame>
  ),
  auditLog: () => (
    <ConsoleFrame>
      <AuditLogPage />
    </ConsoleFrame>
  ),
  exceptions: () => (
    <ConsoleFrame>
      <ExceptionsPage />
    </ConsoleFrame>
  ),
  charterVersions: () => (
    <ConsoleFrame>
      <CharterVersionsPage />
    </ConsoleFrame>
  ),
  consents: () => (
    <ConsoleFrame>
      <ConsentLedgerPage />
    </ConsoleFrame>
  ),
  cancellations: () => (
    <ConsoleFrame>
      <CancellationsPage />
    </ConsoleFrame>
  ),
};

function Redirect({ to }: { to: string }) {
  useEffect(() => navigate(to, { replace: true }), [to]);
  return null;
}

export function App() {
  const { pathname } = useLocation();
  for (const [page, pattern] of Object.entries(APP_PATHS) as Array<[AppPage, string]>) {
    const params = matchPath(pattern, pathname);
    if (params) return <>{PAGES[page](params)}</>;
  }
  return (
    <main id="main" className="narrow">
      <h1>Page not found</h1>
      <p>There is no page at this address.</p>
    </main>
  );
}
