import type { AttributeValue } from "@aws-sdk/client-dynamodb";

// DynamoDB AttributeValues for the registry's plain items: strings, numbers, booleans, null, lists and
// maps (the only kinds the registry writes), read back with the same conversions @aws-sdk/util-dynamodb
// makes. Written here so that no Lambda bundle carries util-dynamodb's general converters (sets,
// binaries, class instances, number wrappers) that the registry never uses (issue 14: bundle bytes).

/** How items become AttributeValues. */
export interface MarshallOptions {
  /** drop undefined values from maps and lists instead of refusing them */
  removeUndefinedValues?: boolean;
}

/** The AttributeValue of one plain value; refuses what the registry never writes, naming it. */
function toAttribute(value: unknown, options: MarshallOptions): AttributeValue {
  if (value === null) return { NULL: true };
  switch (typeof value) {
    case "string":
      return { S: value };
    case "boolean":
      return { BOOL: value };
    case "bigint":
      return { N: value.toString() };
    case "number":
      if (!Number.isFinite(value)) throw new Error(`Special numeric value ${value} is not allowed`);
      if (!Number.isSafeInteger(Math.trunc(value))) {
        throw new Error(`Number ${value} is outside the safe integer range; pass it as a bigint.`);
      }
      return { N: String(value) };
    case "object":
      if (Array.isArray(value)) return { L: listOf(value, options) };
      if (Object.getPrototypeOf(value) === Object.prototype || Object.getPrototypeOf(value) === null) {
        return { M: marshall(value as Record<string, unknown>, options) };
      }
  }
  throw new Error(`Unsupported type passed to the registry's marshall: ${String(value)}`);
}

/** Refuses an undefined value unless the options drop it (util-dynamodb's rule and message). */
function keeps(value: unknown, options: MarshallOptions): boolean {
  if (value !== undefined) return typeof value !== "function";
  if (options.removeUndefinedValues) return false;
  throw new Error("Pass options.removeUndefinedValues=true to remove undefined values from map/array/set.");
}

/** The L of a list. */
function listOf(values: readonly unknown[], options: MarshallOptions): AttributeValue[] {
  return values.filter((value) => keeps(value, options)).map((value) => toAttribute(value, options));
}

/** The AttributeValue map of a plain item (DynamoDB's Item, Key or ExpressionAttributeValues). */
export function marshall(
  item: Record<string, unknown>,
  options: MarshallOptions = {},
): Record<string, AttributeValue> {
  const attributes: Record<string, AttributeValue> = {};
  for (const [name, value] of Object.entries(item)) {
    if (keeps(value, options)) attributes[name] = toAttribute(value, options);
  }
  return attributes;
}

/** A number as util-dynamodb reads it: a number, or a bigint beyond the safe integers. */
function numberOf(text: string): number | bigint {
  const number = Number(text);
  if (Number.isFinite(number) && !Number.isSafeInteger(Math.trunc(number))) return BigInt(text);
  return number;
}

/** The plain value of one AttributeValue. */
function fromAttribute(attribute: AttributeValue): unknown {
  if (attribute.S !== undefined) return attribute.S;
  if (attribute.N !== undefined) return numberOf(attribute.N);
  if (attribute.BOOL !== undefined) return attribute.BOOL;
  if (attribute.NULL !== undefined) return null;
  if (attribute.L !== undefined) return attribute.L.map(fromAttribute);
  if (attribute.M !== undefined) return unmarshall(attribute.M);
  if (attribute.SS !== undefined) return new Set(attribute.SS);
  if (attribute.NS !== undefined) return new Set(attribute.NS.map(numberOf));
  if (attribute.B !== undefined) return attribute.B;
  if (attribute.BS !== undefined) return new Set(attribute.BS);
  throw new Error(`Unsupported AttributeValue: ${JSON.stringify(attribute)}`);
}

/** The plain item of an AttributeValue map. */
export function unmarshall(attributes: Record<string, AttributeValue>): Record<string, unknown> {
  const item: Record<string, unknown> = {};
  for (const [name, attribute] of Object.entries(attributes)) item[name] = fromAttribute(attribute);
  return item;
}
