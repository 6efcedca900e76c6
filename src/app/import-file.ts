import type { ImportKind } from '../domain/imports.ts';
import { customersCsvHandler } from './imports/customers-csv.ts';
import { billingHandler, usageHandler } from './imports/ledger.ts';
import { transcriptsHandler } from './imports/transcripts.ts';
import { zendeskHandler } from './imports/zendesk.ts';
import { runImport, type ImportHandler, type ImportRunResult } from './run-import.ts';
import type { TenantScope } from './scope.ts';

export interface ImportFileInput {
  kind: ImportKind;
  /** A file (or, for zendesk, a folder) readable by this process. */
  path: string;
  sourceName?: string | undefined;
  /** customers-csv: where rejected rows go (default FILE.rejected.csv). */
  rejectedPath?: string | undefined;
  fresh?: boolean | undefined;
  batchSize?: number | undefined;
  onProgress?: ((done: number, total: number) => void) | undefined;
}

/** Imports a file of one kind (docs/import.md): resumable, idempotent on external ids, ending with a summary. */
export async function importFile(scope: TenantScope, input: ImportFileInput): Promise<ImportRunResult> {
  let rejectedFile: () => string | undefined = () => undefined;
  return runImport(scope, {
    kind: input.kind,
    path: input.path,
    sourceName: input.sourceName,
    fresh: input.fresh,
    ...(input.batchSize !== undefined && { batchSize: input.batchSize }),
    onProgress: input.onProgress,
    extra: () => {
      const file = rejectedFile();
      return file ? { rejectedFile: file } : {};
    },
    handler: async ({ resuming }): Promise<ImportHandler> => {
      switch (input.kind) {
        case 'zendesk':
          return zendeskHandler(scope, input.path);
        case 'customers-csv': {
          const handler = await customersCsvHandler(scope, input.path, { rejectedPath: input.rejectedPath ?? `${input.path}.rejected.csv`, resuming });
          rejectedFile = handler.rejectedFile;
          return handler;
        }
        case 'transcripts':
          return transcriptsHandler(scope, input.path);
        case 'usage':
          return usageHandler(scope, input.path);
        case 'billing':
          return billingHandler(scope, input.path);
      }
    },
  });
}
