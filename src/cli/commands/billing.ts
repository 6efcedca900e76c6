import { Command } from 'commander';
import type { BillingRunResult } from '../../app/billing-run.ts';
import { configOrExit, fail } from '../load-config.ts';

/** `fairdesk billing run`: charge every renewal due up to a date (a simulated clock for tests and demos). */
export function billingCommand(): Command {
  const billing = new Command('billing').description('The embedded billing ledger: renewals, and the reconciliation that refunds charges after cancellation');
  billing
    .command('run')
    .description('Send the notices due at --until (default now), charge every renewal due up to it, end subscriptions whose cancellation took effect, then reconcile')
    .option('--until <iso-date>', 'charge renewals due at or before this instant (default: now)')
    .option('--json', 'print {"until", "tenants": [{"tenantId", "charged", "ended"}], "reconciliation": {"refunded"}}')
    .option('-d, --data <dir>', 'data folder of the embedded store (default ./fairdesk-data)')
    .action(async (opts: { until?: string; json?: boolean; data?: string }) => {
      const config = configOrExit(opts);
      const until = opts.until ? new Date(opts.until) : new Date();
      if (Number.isNaN(until.getTime())) fail(`--until: not a date: ${opts.until}`);
      const { runOp } = await import('../run-op.ts');
      const { progressBar } = await import('../progress.ts');
      const bar = progressBar('billing');
      // The cancel links of the notices sent at --until point at the server's public URL (or where it listens).
      const publicOrigin = config.publicUrl ? new URL(config.publicUrl).origin : `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${config.port}`;
      const { result } = await runOp(config, 'billing.run', { until: until.toISOString(), publicOrigin }, (done, total) => bar.update(done, total)).catch((error: unknown) => {
        bar.stop();
        return fail(error);
      });
      bar.stop();
      if (opts.json) process.stdout.write(`${JSON.stringify(result)}\n`);
      else process.stdout.write(describeRun(result));
    });
  return billing;
}

function describeRun(result: BillingRunResult): string {
  const lines: string[] = [];
  const charged = result.tenants.flatMap((t) => t.charged.map((c) => ({ ...c, tenantId: t.tenantId })));
  const ended = result.tenants.flatMap((t) => t.ended.map((e) => ({ ...e, tenantId: t.tenantId })));
  lines.push(`Billing run up to ${result.until}: ${charged.length} charge(s), ${ended.length} subscription(s) ended, ${result.reconciliation.refunded.length} refund(s) of charges after cancellation.`);
  if (result.notices) {
    const n = result.notices;
    lines.push(`  notices sent: ${n.priceChange} price change, ${n.termsChange} terms change, ${n.annualReminder} annual reminder, ${n.trialReminder} trial reminder; ${n.priceChangesApplied} price change(s) took effect`);
  }
  for (const c of charged) {
    const credit = c.creditAppliedMinor > 0 ? `, after ${c.creditAppliedMinor} of credit` : '';
    lines.push(`  charged ${c.amountMinor} ${c.currency} (minor units${credit}) to subscription ${c.subscriptionId} of tenant ${c.tenantId} for ${c.periodStart} – ${c.periodEnd}, invoice ${c.invoiceNumber}`);
  }
  for (const e of ended) lines.push(`  ended subscription ${e.subscriptionId} of tenant ${e.tenantId} (cancellation ${e.cancellationId}, effective ${e.effectiveAt})`);
  for (const r of result.reconciliation.refunded) lines.push(`  refunded charge ${r.chargeId} (${r.amountMinor} ${r.currency}) of subscription ${r.subscriptionId}: it came after cancellation ${r.cancellationId}`);
  return `${lines.join('\n')}\n`;
}
