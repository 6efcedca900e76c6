import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../..', import.meta.url));
/** What the built app is made of: a change to any of these makes web/dist stale. */
const SOURCES = ['web/src', 'web/index.html', 'web/vite.config.ts', 'src/contracts', 'src/domain/cancellation', 'package-lock.json'];

function newest(path: string): number {
  const full = join(root, path);
  if (!existsSync(full)) return 0;
  const info = statSync(full);
  if (!info.isDirectory()) return info.mtimeMs;
  return Math.max(0, ...readdirSync(full).map((name) => newest(join(path, name))));
}

/** Whether web/dist is missing or older than its sources. */
export function webBuildIsStale(): boolean {
  const index = join(root, 'web/dist/index.html');
  if (!existsSync(index)) return true;
  const built = statSync(index).mtimeMs;
  return SOURCES.some((s) => newest(s) > built);
}

/**
 * Vitest global setup: builds the web app when it is missing or stale, so `npm ci && npm test` on a
 * clean clone serves the real app to the browser tests (and the server's page routes answer 200).
 */
export default function setup(): void {
  if (!webBuildIsStale()) return;
  // Vitest sets NODE_ENV=test, and Vite would keep it, building React's development bundle (60% larger
  // and slower): the browser tests must run the app as `npm run build:web` builds it.
  execFileSync(process.execPath, [join(root, 'node_modules/vite/bin/vite.js'), 'build', '--config', 'web/vite.config.ts', '--logLevel', 'warn'], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, NODE_ENV: 'production' },
  });
}
