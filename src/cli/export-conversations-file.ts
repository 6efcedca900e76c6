import { once } from 'node:events';
import { createWriteStream, mkdirSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { presentConversation } from '../http/presenters/index.ts';
import { exportConversations, type ConversationExportFilter } from '../app/export-conversations.ts';
import { inTenantTx, type TenantScope } from '../app/scope.ts';

/**
 * `fairdesk export conversations`: the same lines as GET /conversations/export, written to a file
 * (beside it first, then renamed, so the file is whole or absent; mode 0600: it is personal data).
 */
export async function writeConversationsExport(
  scope: TenantScope,
  filter: ConversationExportFilter,
  out: string,
  progress?: (done: number, total: number) => void,
): Promise<{ path: string; conversations: number; messages: number; bytes: number }> {
  const total = await inTenantTx(scope, async (tx) => {
    let query = tx.selectFrom('conversations').select((eb) => eb.fn.countAll<string>().as('n')).where('tenant_id', '=', scope.tenantId);
    if (filter.from) query = query.where('created_at', '>=', new Date(filter.from));
    if (filter.to) query = query.where('created_at', '<', new Date(filter.to));
    if (filter.status) query = query.where('status', '=', filter.status);
    return Number((await query.executeTakeFirst())?.n ?? 0);
  });
  mkdirSync(dirname(out), { recursive: true });
  const partial = join(dirname(out), `.${basename(out)}.${process.pid}.partial`);
  const file = createWriteStream(partial, { mode: 0o600 });
  let conversations = 0;
  let messages = 0;
  let bytes = 0;
  try {
    progress?.(0, total);
    for await (const { conversation, messages: msgs, cancelRequest } of exportConversations(scope, filter)) {
      const line = `${JSON.stringify(presentConversation(conversation, msgs, cancelRequest))}\n`;
      bytes += Buffer.byteLength(line);
      if (!file.write(line)) await once(file, 'drain');
      conversations++;
      messages += msgs.length;
      if (conversations % 100 === 0) progress?.(conversations, Math.max(total, conversations));
    }
    file.end();
    await once(file, 'finish');
    progress?.(conversations, Math.max(total, conversations));
    renameSync(partial, out);
  } catch (error) {
    file.destroy();
    rmSync(partial, { force: true });
    throw error;
  }
  return { path: out, conversations, messages, bytes };
}
