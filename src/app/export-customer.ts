import { sql } from 'kysely';
import { findCustomer } from '../db/repositories/customers.ts';
import { writeAudit } from '../db/repositories/audit.ts';
import { quoteIdent } from '../db/inventory.ts';
import type { Tx } from '../db/with-tenant.ts';
import { NotFoundError } from './errors.ts';
import { logRead } from './record-read.ts';
import { inTenantTx, type TenantScope } from './scope.ts';

/** Secrets stored about a person are not their data and would help whoever intercepts the export. */
const SECRET_COLUMNS = new Set(['token_hash', 'password_hash', 'request_hash', 'secret']);
/** Search indexes derived from the text that is exported anyway. */
const DERIVED_COLUMNS = new Set(['search']);

export interface CustomerExport {
  format: 'fairdesk-customer-export/1';
  exportedAt: string;
  exportedBy: string;
  customerId: string;
  customer: Record<string, unknown>;
  /** Every tenant table with rows about the customer, by table name in camelCase, oldest first. */
  records: Record<string, Array<Record<string, unknown>>>;
  /** The audit rows about the customer's record (who changed what, never the values). */
  auditTrail: Array<Record<string, unknown>>;
}

/**
 * A customer's whole record, as a data-subject access request needs it. Which tables hold it is read
 * from the catalog, not listed here: every tenant table with a `customer_id` column (conversations,
 * subscriptions, ledger, invoices, offers, consents, credit checks, reads of their record …) and,
 * following foreign keys, the rows that hang off those (messages, invoice lines, cancellations,
 * offer outcomes …). So a table added later is in the export without anyone remembering it.
 * The export itself is a read of the record: logged in its reads and audited, in the same transaction.
 */
export async function exportCustomer(scope: TenantScope, customerId: string, now = new Date()): Promise<CustomerExport> {
  return inTenantTx(scope, async (tx) => {
    const customer = await findCustomer(tx, scope.tenantId, customerId);
    if (!customer) throw new NotFoundError('customer', customerId);
    const { direct, children } = await customerTables(tx);
    const records: Record<string, Array<Record<string, unknown>>> = {};
    const fetched = new Map<string, Array<Record<string, unknown>>>();
    for (const table of direct) {
      const rows = await selectRows(tx, table, sql`tenant_id = ${scope.tenantId} and customer_id = ${customerId}`);
      fetched.set(table, rows);
    }
    // Follow foreign keys outwards until no table adds rows (messages of conversations, lines of invoices …).
    let grew = true;
    while (grew) {
      grew = false;
      for (const link of children) {
        if (fetched.has(link.child) || !fetched.has(link.parent)) continue;
        const ids = [...new Set(fetched.get(link.parent)!.map((r) => r[link.parentColumn]).filter((v) => v !== null && v !== undefined).map(String))];
        const rows = ids.length
          ? await selectRows(tx, link.child, sql`tenant_id = ${scope.tenantId} and ${sql.ref(link.childColumn)}::text = any(${ids}::text[])`)
          : [];
        fetched.set(link.child, rows);
        grew = true;
      }
    }
    for (const [table, rows] of [...fetched].sort(([a], [b]) => a.localeCompare(b))) {
      if (rows.length) records[camel(table)] = rows.map(present);
    }
    const audit = await tx
      .selectFrom('audit_log')
      .selectAll()
      .where('tenant_id', '=', scope.tenantId)
      .where('entity_id', '=', customerId)
      .orderBy('seq')
      .execute();
    const result: CustomerExport = {
      format: 'fairdesk-customer-export/1',
      exportedAt: now.toISOString(),
      exportedBy: scope.actor,
      customerId,
      customer: present(customer as unknown as Record<string, unknown>),
      records,
      auditTrail: audit.map((r) => present({ seq: r.seq, at: r.at, actor: r.actor, action: r.action, entity_type: r.entity_type, fields: r.fields })),
    };
    await logRead(tx, scope, customerId, 'export');
    await writeAudit(tx, { tenantId: scope.tenantId, actor: scope.actor, action: 'customer.exported', entityType: 'customer', entityId: customerId });
    return result;
  });
}

interface Link {
  child: string;
  childColumn: string;
  parent: string;
  parentColumn: string;
}

/** Tables with a customer_id, and single-column foreign keys (besides tenant_id) from tables without one. */
async function customerTables(tx: Tx): Promise<{ direct: string[]; children: Link[] }> {
  const { rows: direct } = await sql<{ table_name: string }>`
    select c.table_name from information_schema.columns c
      join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name and t.table_type = 'BASE TABLE'
     where c.table_schema = 'public' and c.column_name = 'customer_id' and c.table_name <> 'customers'
     order by c.table_name`.execute(tx);
  const { rows: links } = await sql<Link>`
    select c.relname as child, ca.attname as "childColumn", p.relname as parent, pa.attname as "parentColumn"
      from pg_constraint k
      join pg_class c on c.oid = k.conrelid
      join pg_class p on p.oid = k.confrelid
      cross join lateral unnest(k.conkey, k.confkey) as u(ck, pk)
      join pg_attribute ca on ca.attrelid = k.conrelid and ca.attnum = u.ck
      join pg_attribute pa on pa.attrelid = k.confrelid and pa.attnum = u.pk
     where k.contype = 'f' and k.connamespace = 'public'::regnamespace and ca.attname <> 'tenant_id' and c.relname <> p.relname
       and (select count(*) from unnest(k.conkey) x where x not in (select attnum from pg_attribute where attrelid = k.conrelid and attname = 'tenant_id')) = 1
     order by c.relname, p.relname`.execute(tx);
  const directSet = new Set(direct.map((d) => d.table_name));
  return { direct: [...directSet], children: links.filter((l) => !directSet.has(l.child) && l.child !== 'customers') };
}

async function selectRows(tx: Tx, table: string, where: ReturnType<typeof sql>): Promise<Array<Record<string, unknown>>> {
  const { rows } = await sql<Record<string, unknown>>`select * from ${sql.raw(quoteIdent(table))} where ${where} order by 1, 2`.execute(tx);
  return rows;
}

/** camelCase keys, ISO timestamps, no secrets or search indexes, no tenant id (it is the caller's own). */
function present(row: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(row)) {
    if (key === 'tenant_id' || SECRET_COLUMNS.has(key) || DERIVED_COLUMNS.has(key)) continue;
    out[camel(key)] = plain(value);
  }
  return out;
}

function plain(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'bigint') return Number(value);
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (Array.isArray(value)) return value.map(plain);
  return value;
}

function camel(name: string): string {
  return name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}
