import * as z from "zod/mini";

/** Input of the restore Lambda (direct invocation): `{ family, version, region? }`. */
export const restoreRequestSchema = z.strictObject({
  family: z.string().check(z.minLength(1, "must name a family")),
  version: z.number().check(z.int("must be a whole number"), z.gte(1, "must be ≥ 1")),
  region: z.optional(
    z.string().check(z.regex(/^[a-z]{2}(-[a-z]+)+-\d$/, "must be an AWS region such as us-east-1")),
  ),
});

/** A validated restore request. */
export type RestoreRequest = z.infer<typeof restoreRequestSchema>;
