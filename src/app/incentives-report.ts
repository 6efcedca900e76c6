import type { IncentivesReport } from '../contracts/offers.ts';
import { FLAG_PERCENTILE, incentiveTable, MIN_FLAG_HARM_RATE, MIN_SALES_FOR_FLAG, VESTING_DAYS, type IncentiveRow, type Sale } from '../domain/offers/incentives.ts';
import { outcomesOf } from './offer-outcomes.ts';
import { inTenantTx, type TenantScope } from './scope.ts';

const DAY_MS = 86_400_000;

/**
 * Incentives net of harm, per agent and per campaign, for sales made in [from, to): sales, harmful
 * sales, harm rate, credit vested, pending and clawed back, and the outliers flagged (docs/offers.md).
 */
export async function incentivesReport(scope: TenantScope, range: { from?: string | undefined; to?: string | undefined }, at = new Date()): Promise<IncentivesReport> {
  const to = range.to ? new Date(range.to) : at;
  const from = range.from ? new Date(range.from) : new Date(to.getTime() - 365 * DAY_MS);
  return inTenantTx(scope, async (tx) => {
    const rows = await tx
      .selectFrom('offers')
      .selectAll()
      .where('tenant_id', '=', scope.tenantId)
      .where('status', '=', 'accepted')
      .where('decided_at', '>=', from)
      .where('decided_at', '<', to)
      .execute();
    const outcomes = await outcomesOf(tx, scope.tenantId, rows, at);
    const sales: Sale[] = rows.map((r) => ({ offerId: r.id, agentId: r.agent_id, campaignId: r.campaign_id, soldAt: r.decided_at!, harms: outcomes.get(r.id)?.harms ?? [] }));
    const byAgent = incentiveTable(sales, (s) => s.agentId, at);
    const byCampaign = incentiveTable(sales, (s) => s.campaignId, at);
    const agentNames = new Map((await tx.selectFrom('agents').select(['id', 'name']).where('tenant_id', '=', scope.tenantId).execute()).map((a) => [a.id, a.name]));
    const campaignNames = new Map((await tx.selectFrom('campaigns').select(['id', 'name']).where('tenant_id', '=', scope.tenantId).execute()).map((c) => [c.id, c.name]));
    const named = (names: Map<string, string>) => (r: IncentiveRow) => {
      const { key, ...rest } = r;
      return { id: key, name: names.get(key) ?? key, ...rest };
    };
    const harmful = sales.filter((s) => s.harms.length > 0).length;
    return {
      from: from.toISOString(),
      to: to.toISOString(),
      policy: { vestingDays: VESTING_DAYS, minSalesForFlag: MIN_SALES_FOR_FLAG, flagPercentile: FLAG_PERCENTILE, minFlagHarmRate: MIN_FLAG_HARM_RATE },
      totals: { sales: sales.length, harmfulSales: harmful, harmRate: sales.length === 0 ? 0 : harmful / sales.length },
      agents: byAgent.rows.map(named(agentNames)),
      campaigns: byCampaign.rows.map(named(campaignNames)),
      p90HarmRate: { agents: byAgent.p90HarmRate, campaigns: byCampaign.p90HarmRate },
    };
  });
}

/** The report as CSV, one row per agent and per campaign, for spreadsheets and payroll. */
export function incentivesCsv(report: IncentivesReport): string {
  const header = ['kind', 'id', 'name', 'sales', 'harmful_sales', 'harm_rate', 'vested', 'pending', 'clawed_back', 'withheld', 'payable', 'flagged', 'flag_reason'];
  const cell = (v: unknown) => {
    const s = v === null || v === undefined ? '' : String(v);
    return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  const rows = [...report.agents.map((r) => ['agent', r] as const), ...report.campaigns.map((r) => ['campaign', r] as const)].map(([kind, r]) =>
    [kind, r.id, r.name, r.sales, r.harmfulSales, r.harmRate.toFixed(4), r.vested, r.pending, r.clawedBack, r.withheld, r.payable, r.flagged, r.flagReason].map(cell).join(','),
  );
  return `${[header.join(','), ...rows].join('\n')}\n`;
}
