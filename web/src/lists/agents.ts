import { useEffect, useState } from 'react';
import type { z } from 'zod';
import { AgentList } from '../../../src/contracts/agents.ts';
import { api } from '../api.ts';

/** The tenant's agents' names by id (a tenant has few agents: the first 1,000), for "who" columns and filters. */
export async function agentNames(signal: AbortSignal): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  let cursor: string | null = null;
  for (let page = 0; page < 5; page++) {
    const list: z.infer<typeof AgentList> = await api(AgentList, `/api/v1/agents?limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, { signal });
    for (const a of list.data) found.set(a.id, a.name);
    cursor = list.nextCursor;
    if (!cursor) break;
  }
  return found;
}

/** agentNames() as state: empty until loaded (and if the list cannot be read, names fall back to ids). */
export function useAgentNames(): Map<string, string> {
  const [agents, setAgents] = useState<Map<string, string>>(new Map());
  useEffect(() => {
    const ctl = new AbortController();
    agentNames(ctl.signal).then(setAgents, () => undefined);
    return () => ctl.abort();
  }, []);
  return agents;
}
