/** The demo tenant: a broadband and TV provider with the conversations a real support team has. */
export const DEMO_TENANT = { slug: 'demo', name: 'Northwind Broadband' };

export const DEMO_TEAMS = ['Billing & Accounts', 'Technical Support'] as const;

export const DEMO_AGENTS = [
  { name: 'Amira Haddad', email: 'amira@northwind.example', role: 'agent', team: 'Billing & Accounts' },
  { name: 'Tomás Ruiz', email: 'tomas@northwind.example', role: 'agent', team: 'Billing & Accounts' },
  { name: 'Grace Okafor', email: 'grace@northwind.example', role: 'agent', team: 'Technical Support' },
  { name: 'Lena Vogel', email: 'lena@northwind.example', role: 'lead', team: 'Technical Support' },
  { name: 'Priya Natarajan', email: 'priya@northwind.example', role: 'compliance', team: null },
  { name: 'Sam Whitfield', email: 'sam@northwind.example', role: 'admin', team: null },
] as const;

export const DEMO_CUSTOMERS = [
  { key: 'c01', name: 'Daniel Moreau', email: 'daniel.moreau@example.com', phone: '+33 6 12 34 56 78', tz: 'Europe/Paris', locale: 'fr-FR', plan: 'fibre-500', spendMinor: 54000, since: '2019-03-14' },
  { key: 'c02', name: 'Margaret Ellison', email: 'm.ellison@example.org', phone: '+44 7700 900123', tz: 'Europe/London', locale: 'en-GB', plan: 'fibre-100', spendMinor: 38400, since: '2012-06-01' },
  { key: 'c03', name: 'Kwame Mensah', email: 'kwame.mensah@example.net', phone: '+44 7700 900456', tz: 'Europe/London', locale: 'en-GB', plan: 'fibre-900-tv', spendMinor: 131000, since: '2021-09-20' },
  { key: 'c04', name: 'Sofia Lindqvist', email: 'sofia.l@example.com', phone: '+46 70 123 45 67', tz: 'Europe/Stockholm', locale: 'sv-SE', plan: 'fibre-250', spendMinor: 42000, since: '2023-02-11' },
  { key: 'c05', name: 'Robert Chen', email: 'rchen@example.com', phone: '+1 415 555 0142', tz: 'America/Los_Angeles', locale: 'en-US', plan: 'business-fibre', spendMinor: 240000, since: '2020-11-02' },
  { key: 'c06', name: 'Fatima Zahra Benali', email: 'fz.benali@example.org', phone: '+33 7 98 76 54 32', tz: 'Europe/Paris', locale: 'fr-FR', plan: 'fibre-100', spendMinor: 30000, since: '2024-05-30' },
  { key: 'c07', name: 'George Papadopoulos', email: 'george.p@example.net', phone: '+30 69 1234 5678', tz: 'Europe/Athens', locale: 'el-GR', plan: 'fibre-500-tv', spendMinor: 72000, since: '2018-01-15' },
  { key: 'c08', name: 'Hannah Schmidt', email: 'h.schmidt@example.de', phone: '+49 151 23456789', tz: 'Europe/Berlin', locale: 'de-DE', plan: 'fibre-250', spendMinor: 42000, since: '2022-07-07' },
  { key: 'c09', name: 'Luis Fernández', email: 'luis.fernandez@example.es', phone: '+34 612 345 678', tz: 'Europe/Madrid', locale: 'es-ES', plan: 'fibre-100', spendMinor: 30000, since: '2025-01-19' },
  { key: 'c10', name: 'Aoife Byrne', email: 'aoife.byrne@example.ie', phone: '+353 87 123 4567', tz: 'Europe/Dublin', locale: 'en-IE', plan: 'fibre-500', spendMinor: 54000, since: '2016-10-03' },
  { key: 'c11', name: 'Olusegun Adeyemi', email: 'segun.a@example.com', phone: '+44 7700 900789', tz: 'Europe/London', locale: 'en-GB', plan: 'fibre-100', spendMinor: 30000, since: '2024-12-01' },
  { key: 'c12', name: 'Eleanor Price', email: 'eleanor.price@example.co.uk', phone: '+44 7700 900321', tz: 'Europe/London', locale: 'en-GB', plan: 'basic-50', spendMinor: 0, since: '2026-04-22' },
] as const;

type Role = 'customer' | 'agent';
export interface DemoConversation {
  customer: (typeof DEMO_CUSTOMERS)[number]['key'];
  channel: 'email' | 'chat' | 'phone' | 'portal' | 'social';
  subject: string;
  /** By need, from the charter's severities (outage, fault, vulnerable, billing, general). */
  severity: string;
  status: 'open' | 'pending' | 'resolved' | 'closed';
  team: (typeof DEMO_TEAMS)[number];
  /** Index into DEMO_AGENTS of who handles it, or null while unassigned. */
  agent: number | null;
  tags: string[];
  messages: Array<[Role, string]>;
}

export const DEMO_CONVERSATIONS: DemoConversation[] = [
  {
    customer: 'c01',
    channel: 'phone',
    subject: 'Rate estimate for upgrading to Fibre 1000',
    severity: 'general',
    status: 'resolved',
    team: 'Billing & Accounts',
    agent: 1,
    tags: ['upgrade', 'sales'],
    messages: [
      ['customer', 'Hi, I would like a rough estimate of what Fibre 1000 would cost me per month. Just a ballpark figure please.'],
      ['agent', 'Sure. To give you an exact price I need to run a credit check first. Can I have your date of birth and consent to a hard credit pull?'],
      ['customer', 'No, I only want a rough estimate for now, I am not ready to apply.'],
      ['agent', 'I understand, but the credit check only takes a minute. Shall I go ahead and run it?'],
      ['customer', 'No. I said I just want an estimate. Forget it.'],
    ],
  },
  {
    customer: 'c02',
    channel: 'phone',
    subject: 'Wants to cancel after price change letter',
    severity: 'billing',
    status: 'resolved',
    team: 'Billing & Accounts',
    agent: 0,
    tags: ['cancellation', 'price-change'],
    messages: [
      ['customer', 'I want to cancel my subscription. Your letter says my bill is going up by 40 pounds and I simply cannot afford that.'],
      ['agent', 'I hear you: the letter made it look like a 40 pound rise and that is not affordable for you. May I show you your actual figures before we go ahead? I will cancel it whichever way you decide.'],
      ['customer', 'Fine, go on.'],
      ['agent', 'Your current price is 32.00 a month and from 1 March it will be 34.50, so 2.50 more a month, or 30 pounds a year. The 40 in the letter was the yearly total for the TV add-on, which you do not have. Would you still like me to cancel?'],
      ['customer', 'Oh, I misread that. No, 2.50 is fine, I will stay. Thank you for explaining.'],
      ['agent', 'You are welcome. Nothing changes on your account, and you can cancel at any time from the portal in two clicks.'],
    ],
  },
  {
    customer: 'c03',
    channel: 'chat',
    subject: 'Internet drops every evening',
    severity: 'fault',
    status: 'open',
    team: 'Technical Support',
    agent: 2,
    tags: ['connectivity', 'repeat-contact'],
    messages: [
      ['customer', 'My connection drops every evening around 8pm. This is the third time I am contacting you about it.'],
      ['agent', 'So the connection drops at about 8pm every evening, and you have had to contact us three times already. I am sorry, that is not good enough. Can you tell me whether the light on the router turns red when it drops?'],
      ['customer', 'Yes, it goes red for about two minutes, then green again.'],
      ['agent', 'Thank you. That points to the line rather than your router. I have booked an engineer to test the line; is Thursday morning convenient?'],
    ],
  },
  {
    customer: 'c04',
    channel: 'email',
    subject: 'Please cancel my contract',
    severity: 'general',
    status: 'pending',
    team: 'Billing & Accounts',
    agent: 1,
    tags: ['cancellation'],
    messages: [
      ['customer', 'Hello, I am moving abroad next month. Please cancel my contract effective 30 June. Thank you, Sofia'],
      ['agent', 'Before you go, we have a great offer: 3 months at half price if you stay another year. Would you like me to apply it?'],
      ['customer', 'No thank you, I am moving to another country. Please just cancel it.'],
      ['agent', 'Are you sure? Our new mobile bundle also works abroad and you could keep your email address.'],
    ],
  },
  {
    customer: 'c05',
    channel: 'email',
    subject: 'Invoice shows the wrong VAT number',
    severity: 'billing',
    status: 'open',
    team: 'Billing & Accounts',
    agent: null,
    tags: ['invoice', 'business'],
    messages: [
      ['customer', 'Our May invoice shows an old VAT number. Can you reissue it with GB123456789? Our accountant needs it by Friday.'],
    ],
  },
  {
    customer: 'c06',
    channel: 'portal',
    subject: 'Payment card update',
    severity: 'billing',
    status: 'resolved',
    team: 'Billing & Accounts',
    agent: 0,
    tags: ['payment'],
    messages: [
      ['customer', 'My card expired and I got a warning e-mail. How do I update it?'],
      ['agent', 'Please send me the full card number and the security code and I will update it for you.'],
      ['customer', 'I would rather not share my card number in a chat.'],
      ['agent', 'That is completely fair. You can update it yourself under Account > Payment in the portal; we never need your card number in a message.'],
      ['customer', 'Done, thanks.'],
    ],
  },
  {
    customer: 'c07',
    channel: 'phone',
    subject: 'TV channels missing after update',
    severity: 'fault',
    status: 'open',
    team: 'Technical Support',
    agent: 3,
    tags: ['tv'],
    messages: [
      ['customer', 'Since the box updated last night, half of my channels show "not subscribed". I pay for the full package.'],
      ['agent', 'So after last night\'s update your box says "not subscribed" on channels you pay for. That is on us. I am sending a refresh signal to your box now; it takes about ten minutes.'],
      ['customer', 'OK, I will wait and restart it.'],
    ],
  },
  {
    customer: 'c08',
    channel: 'chat',
    subject: 'Upgrade offer in newsletter',
    severity: 'general',
    status: 'resolved',
    team: 'Billing & Accounts',
    agent: 1,
    tags: ['upgrade'],
    messages: [
      ['customer', 'I saw the upgrade to Fibre 500 in your newsletter. Is it worth it for me? I mostly read news and do video calls twice a week.'],
      ['agent', 'Honestly, for news and two video calls a week, your current 250 is more than enough; your usage peaks at about 40 Mbit/s. I would not upgrade.'],
      ['customer', 'Thanks for being straight with me.'],
    ],
  },
  {
    customer: 'c09',
    channel: 'social',
    subject: 'Complaint about engineer no-show',
    severity: 'fault',
    status: 'open',
    team: 'Technical Support',
    agent: 2,
    tags: ['complaint', 'engineer'],
    messages: [
      ['customer', 'Took a day off work for your engineer and nobody came. Nobody called either. Really disappointed.'],
      ['agent', 'You took a day off and our engineer neither came nor called. I am sorry. I have asked for a first-slot appointment and will credit the missed day to your account. Which day next week suits you?'],
    ],
  },
  {
    customer: 'c10',
    channel: 'email',
    subject: 'Router replacement',
    severity: 'fault',
    status: 'closed',
    team: 'Technical Support',
    agent: 2,
    tags: ['hardware'],
    messages: [
      ['customer', 'My router has stopped working after a power cut. The lights stay off.'],
      ['agent', 'Sorry to hear that. I have sent a replacement router by courier; it should arrive tomorrow. Please return the old one in the same box.'],
      ['customer', 'It arrived and works. Thanks!'],
    ],
  },
  {
    customer: 'c11',
    channel: 'chat',
    subject: 'Wants the cheapest plan',
    severity: 'billing',
    status: 'pending',
    team: 'Billing & Accounts',
    agent: 0,
    tags: ['downgrade'],
    messages: [
      ['customer', 'Money is tight at the moment. Is there anything cheaper than what I have? I cannot pay more than 25 a month.'],
      ['agent', 'Thanks for telling me; so the limit is 25 a month. Basic 50 costs 22 a month and covers the streaming you do now. Would you like me to send you the details to think about?'],
    ],
  },
  {
    customer: 'c12',
    channel: 'phone',
    subject: 'Cancel broadband, moving in with family',
    severity: 'general',
    status: 'resolved',
    team: 'Billing & Accounts',
    agent: 1,
    tags: ['cancellation'],
    messages: [
      ['customer', 'I need to cancel my broadband, I am moving in with my daughter.'],
      ['agent', 'Of course. I have cancelled it with effect from the end of this billing period, 14 July. You will get a confirmation e-mail with the reference number, and there will be no charges after 14 July.'],
      ['customer', 'Thank you, that was easy.'],
    ],
  },
];

/** What the demo tenant sells: one product with the plans the demo customers are on (prices in pence). */
export const DEMO_PRODUCT = {
  name: 'Northwind Broadband',
  description: 'Home and business broadband, with TV on some plans.',
  features: [
    { name: 'broadband', benefit: 'Internet at home, counted in GB a month; Basic 50 includes 200 GB, the Fibre plans have no cap.' },
    { name: 'tv', benefit: 'Live and on-demand TV on up to three screens, counted in hours watched.' },
    { name: 'static-ip', benefit: 'A fixed public address for servers and remote access (business).' },
  ],
};

export const DEMO_PLANS = {
  'basic-50': { name: 'Basic 50', priceMinor: 2200, interval: 'month', features: ['broadband'], limits: { broadband: 200 } },
  'fibre-100': { name: 'Fibre 100', priceMinor: 2800, interval: 'month', features: ['broadband'] },
  'fibre-250': { name: 'Fibre 250', priceMinor: 3400, interval: 'month', features: ['broadband'] },
  'fibre-500': { name: 'Fibre 500', priceMinor: 3900, interval: 'month', features: ['broadband'] },
  'fibre-500-tv': { name: 'Fibre 500 + TV', priceMinor: 5400, interval: 'month', features: ['broadband', 'tv'] },
  'fibre-900-tv': { name: 'Fibre 900 + TV', priceMinor: 6900, interval: 'month', features: ['broadband', 'tv'] },
  'business-fibre': { name: 'Business Fibre (yearly)', priceMinor: 60000, interval: 'year', features: ['broadband', 'static-ip'] },
} as const satisfies Record<string, { name: string; priceMinor: number; interval: 'month' | 'year'; features: readonly string[]; limits?: Record<string, number> }>;

/**
 * How the demo subscriptions differ from "the plan's price since they joined", so the portal shows
 * both honest answers to "why leave?": Margaret's price rose 30 days ago (a clarification with her own
 * figures), and George has not watched TV for months (an offer of the cheapest plan that covers his use).
 */
export const DEMO_SUBSCRIPTION_STORIES: Record<string, { previousPriceMinor?: number; priceRoseDaysAgo?: number; usesTv?: boolean }> = {
  c02: { previousPriceMinor: 2500, priceRoseDaysAgo: 30 },
  c07: { usesTv: false },
};
