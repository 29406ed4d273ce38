import * as util from "@aws-sdk/util-dynamodb";
import { describe, expect, it } from "vitest";
import { marshall, unmarshall } from "../../../packages/aws/src/registry/attribute-values";

/** Items shaped like the registry's (every kind it writes), with the edge values util-dynamodb converts. */
const items: Record<string, unknown>[] = [
  { pk: "FAMILY#web", sk: "VERSION#000001", version: 1, stage: "retired", withdrawn: false, createdBy: null },
  { pk: "CLAIM#x", leaseUntil: 1_700_000_000, ratio: 0.25, negative: -3, empty: "" },
  {
    regions: { "eu-west-1": { imageId: "ami-1", snapshots: ["snap-1", "snap-2"], shared: true } },
    history: [{ at: "2026-01-01T00:00:00.000Z", by: "arn:aws:iam::1:role/r" }, [], {}],
  },
];

describe("the registry's AttributeValues", () => {
  it.each(items)("marshal and unmarshal an item exactly as util-dynamodb does (%#)", (item) => {
    const raw = marshall(item);
    expect(raw).toEqual(util.marshall(item));
    expect(unmarshall(raw)).toEqual(util.unmarshall(raw));
    expect(unmarshall(raw)).toEqual(item);
  });

  it("read numbers beyond the safe integers as bigints, and sets as sets, as util-dynamodb does", () => {
    const raw = { big: { N: "9007199254740993" }, names: { SS: ["a", "b"] }, sizes: { NS: ["1", "2"] } };
    expect(unmarshall(raw)).toEqual(util.unmarshall(raw));
  });

  it("refuse an undefined value unless asked to drop it, in maps and lists", () => {
    const item = { pk: "F#a", note: undefined, list: [1, undefined] };
    expect(() => marshall(item)).toThrow(/removeUndefinedValues/);
    expect(marshall(item, { removeUndefinedValues: true })).toEqual(
      util.marshall(item, { removeUndefinedValues: true }),
    );
  });

  it("refuse what DynamoDB cannot hold exactly, naming the value", () => {
    expect(() => marshall({ n: Number.NaN })).toThrow(/NaN/);
    expect(() => marshall({ n: 2 ** 60 })).toThrow(/safe integer/);
    expect(() => marshall({ at: new Date(0) })).toThrow(/Unsupported type/);
  });
});
