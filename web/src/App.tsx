import type { ReactNode } from 'react';
import { APP_PATHS, type AppPage } from './app-paths.ts';
import { matchPath, navigate, useLocation } from './router.tsx';
import { SignInPage } from './console/SignIn.tsx';
import { ConsoleFrame } from './console/ConsoleFrame.tsx';
import { InboxPage } from './console/Inbox.tsx';
import { ConversationPage } from './console/Conversation.tsx';
import { CustomerPage } from './console/CustomerPage.tsx';
import { lazy, Suspense, useEffect } from 'react';

/**
 * Everything but the agent console's own pages loads on first use, so the console's first view does
 * not wait for the reports, the compliance pages, the portal or the charter page (and their charts).
 */
const PortalFrame = lazy(() => import('./portal/PortalFrame.tsx').then((m) => ({ default: m.PortalFrame })));
const PortalHome = lazy(() => import('./portal/PortalHome.tsx').then((m) => ({ default: m.PortalHome })));
const PortalConversationPage = lazy(() => import('./portal/PortalConversation.tsx').then((m) => ({ default: m.PortalConversationPage })));
const SubscriptionsPage = lazy(() => import('./portal/Subscriptions.tsx').then((m) => ({ default: m.SubscriptionsPage })));
const ConsentsPage = lazy(() => import('./portal/Consents.tsx').then((m) => ({ default: m.ConsentsPage })));
const PortalEntitlementsPage = lazy(() => import('./portal/Entitlements.tsx').then((m) => ({ default: m.PortalEntitlementsPage })));
const CancelPage = lazy(() => import('./portal/Cancel.tsx').then((m) => ({ default: m.CancelPage })));
const CancelDonePage = lazy(() => import('./portal/CancelDone.tsx').then((m) => ({ default: m.CancelDonePage })));
const CharterPage = lazy(() => import('./charter/CharterPage.tsx').then((m) => ({ default: m.CharterPage })));
const ParityReportPage = lazy(() => import('./reports/ParityReport.tsx').then((m) => ({ default: m.ParityReportPage })));
const ListeningReportPage = lazy(() => import('./reports/ListeningReport.tsx').then((m) => ({ default: m.ListeningReportPage })));
const CancellationReportPage = lazy(() => import('./reports/CancellationReport.tsx').then((m) => ({ default: m.CancellationReportPage })));
const IncentivesReportPage = lazy(() => import('./reports/IncentivesReport.tsx').then((m) => ({ default: m.IncentivesReportPage })));
const SlaReportPage = lazy(() => import('./reports/SlaReport.tsx').then((m) => ({ default: m.SlaReportPage })));
const RepeatContactsReportPage = lazy(() => import('./reports/RepeatContactsReport.tsx').then((m) => ({ default: m.RepeatContactsReportPage })));
const OfferDecisionsPage = lazy(() => import('./offers/OfferDecisions.tsx').then((m) => ({ default: m.OfferDecisionsPage })));
const AuditLogPage = lazy(() => import('./compliance/AuditLog.tsx').then((m) => ({ default: m.AuditLogPage })));
const ExceptionsPage = lazy(() => import('./compliance/Exceptions.tsx').then((m) => ({ default: m.ExceptionsPage })));
const CharterVersionsPage = lazy(() => import('./compliance/CharterVersions.tsx').then((m) => ({ default: m.CharterVersionsPage })));
const ConsentLedgerPage = lazy(() => import('./compliance/ConsentLedger.tsx').then((m) => ({ default: m.ConsentLedgerPage })));
const CancellationsPage = lazy(() => import('./compliance/Cancellations.tsx').then((m) => ({ default: m.CancellationsPage })));

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

function Loading() {
  return (
    <p className="loading" role="status">
      Loading…
    </p>
  );
}

function Redirect({ to }: { to: string }) {
  useEffect(() => navigate(to, { replace: true }), [to]);
  return null;
}

export function App() {
  const { pathname } = useLocation();
  for (const [page, pattern] of Object.entries(APP_PATHS) as Array<[AppPage, string]>) {
    const params = matchPath(pattern, pathname);
    if (params) return <Suspense fallback={<Loading />}>{PAGES[page](params)}</Suspense>;
  }
  return (
    <main id="main" className="narrow">
      <h1>Page not found</h1>
      <p>There is no page at this address.</p>
    </main>
  );
}
