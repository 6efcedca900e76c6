import { Command } from 'commander';
import { analyzeCommand } from './commands/analyze.ts';
import { auditCommand } from './commands/audit.ts';
import { billingCommand } from './commands/billing.ts';
import { demoCommand } from './commands/demo.ts';
import { charterCommand } from './commands/charter.ts';
import { serveCommand } from './commands/serve.ts';
import { offersCommand } from './commands/offers.ts';
import { importCommand } from './commands/import.ts';
import { tenantCommand } from './commands/tenant.ts';
import { exportCommand } from './commands/export.ts';
import { backupCommand, migrateStoreCommand, restoreCommand } from './commands/store.ts';

const program = new Command('fairdesk')
  .description('Fairdesk: customer service in which treating every customer fairly is built in and measured')
  .version('0.1.0')
  .showHelpAfterError()
  .addCommand(serveCommand())
  .addCommand(tenantCommand())
  .addCommand(demoCommand())
  .addCommand(charterCommand())
  .addCommand(analyzeCommand())
  .addCommand(auditCommand())
  .addCommand(billingCommand())
  .addCommand(offersCommand())
  .addCommand(backupCommand())
  .addCommand(restoreCommand())
  .addCommand(migrateStoreCommand())
  .addCommand(exportCommand())
  .addCommand(importCommand());

await program.parseAsync(process.argv);
