/** Money for people: minor units and an ISO currency, formatted with Intl (e.g. 243000 EUR → "€2,430.00"). */

const formatters = new Map<string, Intl.NumberFormat>();

function formatter(currency: string, locale: string): Intl.NumberFormat {
  const key = `${locale}|${currency}`;
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.NumberFormat(locale, { style: 'currency', currency });
    formatters.set(key, f);
  }
  return f;
}

/** Format an amount in minor units, using the currency's own number of decimals (2 for EUR, 0 for JPY). */
export function formatMoney(amountMinor: number, currency: string, locale = 'en-GB'): string {
  const f = formatter(currency, locale);
  const digits = f.resolvedOptions().maximumFractionDigits ?? 2;
  return f.format(amountMinor / 10 ** digits);
}
