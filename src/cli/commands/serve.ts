import { Command } from 'commander';
import type { DemoSeeded } from '../../app/seed-demo.ts';
import { configOrExit, fail } from '../load-config.ts';
import { demoInstructions } from './demo.ts';

export function serveCommand(): Command {
  return new Command('serve')
    .description('Start the API server and jobs worker (embedded store in --data, or DATABASE_URL)')
    .option('-p, --port <port>', 'port to listen on (default 3000, or PORT)')
    .option('--host <host>', 'address to listen on (default 127.0.0.1, or HOST)')
    .option('-d, --data <dir>', 'data folder for the embedded store, mail and lock (default ./fairdesk-data, or FAIRDESK_DATA)')
    .option('--demo', 'seed the demo tenant first (idempotent) and print how to use it')
    .action(async (opts: { port?: string; host?: string; data?: string; demo?: boolean }) => {
      const config = configOrExit(opts);
      // Loaded here, not at the top, so `fairdesk --help` stays instant.
      const [{ startFairdesk }, { seedDemo }] = await Promise.all([import('../../start.ts'), import('../../app/seed-demo.ts')]);
      let demo: DemoSeeded | null = null;
      const running = await startFairdesk(config, {
        beforeListen: opts.demo
          ? async (store) => {
              demo = await seedDemo(store.db);
            }
          : undefined,
      }).catch(fail);
      const where = running.store.kind === 'pglite' ? `embedded store in ${running.store.location}` : `PostgreSQL ${running.store.location}`;
      process.stdout.write(`Fairdesk is listening on ${running.url} (${where})\n`);
      if (running.smtp) process.stdout.write(`Receiving e-mail by SMTP on ${running.smtp.address} (docs/email.md)\n`);
      if (demo) process.stdout.write(demoInstructions(demo, running.url));
      const shutdown = async (signal: string) => {
        process.stdout.write(`\n${signal}: shutting down…\n`);
        await running.close();
        process.exit(0);
      };
      process.once('SIGINT', () => void shutdown('SIGINT'));
      process.once('SIGTERM', () => void shutdown('SIGTERM'));
    });
}
