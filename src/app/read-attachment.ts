import { findAttachment } from '../db/repositories/email.ts';
import { NotFoundError } from './errors.ts';
import { logRead } from './record-read.ts';
import { inTenantTx, type TenantScope } from './scope.ts';

export interface AttachmentFile {
  id: string;
  filename: string;
  contentType: string;
  size: number;
  sha256: string;
  content: Buffer;
}

/** One attachment with its bytes, for an agent; the read is logged like reading the conversation. */
export async function readAttachment(scope: TenantScope, id: string): Promise<AttachmentFile> {
  const found = await inTenantTx(scope, async (tx) => {
    const row = await findAttachment(tx, scope.tenantId, id);
    if (row) await logRead(tx, scope, row.customer_id, `attachment:${id}`);
    return row;
  });
  if (!found) throw new NotFoundError('attachment', id);
  return {
    id: found.id,
    filename: found.filename,
    contentType: found.content_type,
    size: found.size,
    sha256: found.sha256,
    content: found.content,
  };
}
