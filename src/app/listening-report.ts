import { listeningByAgent, type AgentListeningRow } from '../db/repositories/listening-report.ts';
import { UnprocessableError } from './errors.ts';
import { inTenantTx, type TenantScope } from './scope.ts';

export interface ListeningReport {
  from: string;
  to: string;
  agents: AgentListeningRow[];
}

/** Listening quality per agent — for coaching, with the findings behind each score. Default: the last 90 days. */
export async function listeningReport(scope: TenantScope, range: { from?: string | undefined; to?: string | undefined }, now = new Date()): Promise<ListeningReport> {
  const to = range.to ? new Date(range.to) : now;
  const from = range.from ? new Date(range.from) : new Date(to.getTime() - 90 * 86_400_000);
  if (from.getTime() >= to.getTime()) throw new UnprocessableError('the period is empty: from must be before to', [{ parameter: 'from', detail: 'must be before to' }]);
  const agents = await inTenantTx(scope, (tx) => listeningByAgent(tx, scope.tenantId, from, to));
  return { from: from.toISOString(), to: to.toISOString(), agents };
}
