import { useEffect, useState } from 'react';
import { Customer } from '../../../src/contracts/customers.ts';
import { api } from '../api.ts';
import { Link } from '../router.tsx';

/** "Customer: Dana" linking to the customer view (the name once loaded; the link works before). */
export function CustomerLink({ customerId }: { customerId: string }) {
  const [name, setName] = useState<string | null>(null);
  useEffect(() => {
    const ctl = new AbortController();
    api(Customer, `/api/v1/customers/${encodeURIComponent(customerId)}`, { signal: ctl.signal })
      .then((c) => setName(c.name))
      .catch(() => setName(null));
    return () => ctl.abort();
  }, [customerId]);
  return (
    <span>
      Customer:{' '}
      <Link to={`/customers/${encodeURIComponent(customerId)}`} className="customer-link">
        {name ?? 'open the customer'}
      </Link>
    </span>
  );
}
