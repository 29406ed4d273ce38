import * as z from "zod/mini";

/**
 * EBS snapshot storage list prices (standard tier, USD per GB-month), the report's default for pricing
 * what each family keeps. Recalled from the Amazon EBS pricing page and dated; they could not be checked
 * offline, so a user with other prices (a contract, a new region) overrides them in the config.
 */
export const defaultSnapshotPrices = {
  asOf: "2026-12-01",
  currency: "USD",
  perGiBMonth: {
    "us-east-1": 0.05,
    "us-east-2": 0.05,
    "us-west-1": 0.055,
    "us-west-2": 0.05,
    "eu-west-1": 0.05,
    "eu-central-1": 0.054,
    "ap-southeast-2": 0.055,
  } as Record<string, number>,
  /** regions the table does not list */
  otherRegions: 0.05,
};

const price = z.number().check(z.gte(0, "must be ≥ 0"), z.lte(10, "must be ≤ 10 (per GiB-month)"));

/** The `report` config slice: how the HTML report prices snapshot storage. */
export const reportConfigSchema = z.strictObject({
  snapshotPrices: z._default(
    z.strictObject({
      asOf: z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}$/, "must be a date (YYYY-MM-DD)")),
      currency: z._default(
        z.string().check(z.regex(/^[A-Z]{3}$/, "must be a 3-letter currency code")),
        "USD",
      ),
      perGiBMonth: z._default(z.record(z.string(), price), {}),
      otherRegions: price,
    }),
    () => structuredClone(defaultSnapshotPrices),
  ),
});

/** Snapshot prices as configured. */
export type SnapshotPrices = z.infer<typeof reportConfigSchema>["snapshotPrices"];

/** The monthly price of one GiB of snapshot storage in `region`. */
export function snapshotPricePerGiBMonth(prices: SnapshotPrices, region: string): number {
  return prices.perGiBMonth[region] ?? prices.otherRegions;
}
