/**
 * Every path of the web app, in Fastify/router syntax. One list for both sides: the server answers
 * exactly these with the app's index.html (never `/api/*`), and the app's router matches the same
 * patterns. Pure data, so the server may import it.
 */
export const APP_PATHS = {
  home: '/',
  signIn: '/sign-in',
  inbox: '/inbox',
  conversation: '/inbox/:id',
  customer: '/customers/:id',
  portalHome: '/portal/:slug',
  portalConversation: '/portal/:slug/conversations/:id',
  portalSubscriptions: '/portal/:slug/subscriptions',
  portalConsents: '/portal/:slug/consents',
  portalEntitlements: '/portal/:slug/entitlements',
  portalCancel: '/portal/:slug/cancel',
  portalCancelDone: '/portal/:slug/cancel/done',
  charter: '/charter/:slug',
  reports: '/reports',
  reportsParity: '/reports/parity',
  reportsListening: '/reports/listening',
  reportsCancellations: '/reports/cancellations',
  reportsIncentives: '/reports/incentives',
  reportsSla: '/reports/sla',
  reportsRepeatContacts: '/reports/repeat-contacts',
  offerDecisions: '/offers',
  auditLog: '/audit',
  exceptions: '/exceptions',
  charterVersions: '/charter-versions',
  consents: '/consents',
  cancellations: '/cancellations',
} as const;

export type AppPage = keyof typeof APP_PATHS;
