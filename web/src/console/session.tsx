import { createContext, useContext } from 'react';
import type { z } from 'zod';
import type { SessionInfo } from '../../../src/contracts/auth.ts';

export type Session = z.infer<typeof SessionInfo>;

/** The signed-in agent, for every console page under ConsoleFrame. */
export const SessionContext = createContext<Session | null>(null);

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside ConsoleFrame');
  return session;
}
