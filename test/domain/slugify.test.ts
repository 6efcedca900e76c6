import { describe, expect, it } from 'vitest';
import { slugify } from '../../src/app/create-tenant.ts';

describe('slugify', () => {
  it.each([
    ['Acme', 'acme'],
    ['Acme Café & Co.', 'acme-cafe-co'],
    ['  Northwind   Broadband  ', 'northwind-broadband'],
    ['Ünïcödé GmbH', 'unicode-gmbh'],
    ['東京', 'tenant'],
    ['a'.repeat(80), 'a'.repeat(50)],
  ])('%s → %s', (name, slug) => {
    expect(slugify(name)).toBe(slug);
  });
});
