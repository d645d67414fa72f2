/**
 * Failpoints: named places where a process kills itself (SIGKILL, no cleanup), so tests can crash
 * a real service at the exact step of a multi-service write and check that the system ends
 * consistent. Armed from FAILPOINTS, which the config refuses in production.
 */

export const failpointNames = [
  /** products: the reservation was checked, the stock not yet decremented. */
  'products.reserve.before-decrement',
  /** products: the decrement is committed, the answer not yet sent. */
  'products.reserve.after-commit',
  /** purchases: products took the stock, the purchase is not yet completed. */
  'purchases.checkout.after-reserve',
] as const;

export type FailpointName = (typeof failpointNames)[number];

const armed = new Set<string>();

export function armFailpoints(names: readonly string[]): void {
  for (const name of names) armed.add(name);
}

export function failpoint(name: FailpointName): void {
  if (!armed.has(name)) return;
  process.stderr.write(`failpoint ${name}: killing process ${process.pid}\n`);
  process.kill(process.pid, 'SIGKILL');
}
