import type { Kysely } from 'kysely';
import { writeAudit } from '../db/repositories/audit.ts';
import { enqueue } from '../db/repositories/outbox.ts';
import { findTenantBySlug } from '../db/repositories/tenants.ts';
import { newId } from '../db/ids.ts';
import type { DB } from '../db/schema.ts';
import { withTenant } from '../db/with-tenant.ts';
import { AppError } from './errors.ts';
import { startSession } from './sessions.ts';
import { generateToken, hashToken } from './tokens.ts';

/** How long a sign-in link works. */
export const MAGIC_LINK_MS = 15 * 60_000;

/**
 * Sends a portal sign-in link to a customer's e-mail address, through the outbox mailer. Says
 * nothing about whether the address is known: the caller answers the same either way. The link
 * carries the token in its fragment (never sent to servers or kept in logs) and is consumed by a
 * POST from the confirm page, so mail scanners that prefetch links cannot use it up.
 */
export async function requestMagicLink(
  db: Kysely<DB>,
  input: { slug: string; email: string; baseUrl: string },
  onOutbox?: () => void,
  now = new Date(),
): Promise<void> {
  const tenant = await findTenantBySlug(db, input.slug);
  if (!tenant) return;
  const email = input.email.trim().toLowerCase();
  const sent = await withTenant(db, tenant.id, async (tx) => {
    const customer = await tx
      .selectFrom('customers')
      .select(['id', 'name'])
      .where('tenant_id', '=', tenant.id)
      .where((eb) => eb(eb.val(email), '=', eb.fn.any('emails')))
      .where('closed_at', 'is', null)
      .orderBy('id')
      .executeTakeFirst();
    if (!customer) return false;
    const { token, hash } = generateToken();
    const id = newId();
    await tx
      .insertInto('magic_links')
      .values({ tenant_id: tenant.id, id, token_hash: hash, customer_id: customer.id, expires_at: new Date(now.getTime() + MAGIC_LINK_MS) })
      .execute();
    const link = `${input.baseUrl.replace(/\/$/, '')}/portal/${tenant.slug}/confirm#${token}`;
    await enqueue(tx, {
      tenantId: tenant.id,
      kind: 'email.send',
      payload: {
        to: email,
        subject: `Your sign-in link for ${tenant.name}`,
        text:
          `Hello ${customer.name},\n\nUse this link within 15 minutes to sign in to ${tenant.name}'s customer portal:\n\n${link}\n\n` +
          'It works once. If you did not ask for it, you can ignore this e-mail.\n',
      },
    });
    await writeAudit(tx, { tenantId: tenant.id, actor: `customer:${customer.id}`, action: 'portal.link_sent', entityType: 'magic_link', entityId: id });
    return true;
  });
  if (sent) onOutbox?.();
}

/** Consumes a sign-in link exactly once and starts a portal session for its customer. */
export async function consumeMagicLink(
  db: Kysely<DB>,
  input: { slug: string; token: string; userAgent?: string | undefined },
  now = new Date(),
): Promise<{ cookie: string; expiresAt: Date; customerId: string }> {
  const refused = new AppError(401, 'link-invalid', 'Link not valid', 'this sign-in link is unknown, already used or expired; ask for a new one');
  const tenant = await findTenantBySlug(db, input.slug);
  if (!tenant) throw refused;
  const result = await withTenant(db, tenant.id, async (tx) => {
    // Marking it used in the same statement that finds it: two clicks racing get one session.
    const link = await tx
      .updateTable('magic_links')
      .set({ used_at: now })
      .where('tenant_id', '=', tenant.id)
      .where('token_hash', '=', hashToken(input.token))
      .where('used_at', 'is', null)
      .where('expires_at', '>', now)
      .returning(['id', 'customer_id'])
      .executeTakeFirst();
    if (!link) return null;
    const session = await startSession(tx, { tenantId: tenant.id, kind: 'customer', customerId: link.customer_id, userAgent: input.userAgent }, now);
    await writeAudit(tx, { tenantId: tenant.id, actor: `customer:${link.customer_id}`, action: 'portal.signed_in', entityType: 'magic_link', entityId: link.id });
    return { ...session, customerId: link.customer_id };
  });
  if (!result) throw refused;
  return { cookie: result.cookie, expiresAt: result.expiresAt, customerId: result.customerId };
}
