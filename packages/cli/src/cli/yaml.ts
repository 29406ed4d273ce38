/**
 * JSON data as block YAML, for templates a person reads and `aws cloudformation deploy` takes. Every
 * string and every key that is not a plain word is double-quoted (a JSON string is a valid YAML
 * scalar), so no value can change type or meaning (`yes`, `0123`, `Fn::Sub`, `${AWS::AccountId}`).
 */
export function toYaml(value: unknown): string {
  return `${lines(value, 0).join("\n")}\n`;
}

const plainKey = /^[A-Za-z_][A-Za-z0-9_]*$/;

function scalar(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return "null";
}

function isCollection(value: unknown): value is object {
  return typeof value === "object" && value !== null;
}

function isEmpty(value: object): boolean {
  return Array.isArray(value) ? value.length === 0 : Object.keys(value).length === 0;
}

function lines(value: unknown, indent: number): string[] {
  const pad = " ".repeat(indent);
  if (!isCollection(value)) return [`${pad}${scalar(value)}`];
  if (isEmpty(value)) return [`${pad}${Array.isArray(value) ? "[]" : "{}"}`];
  if (Array.isArray(value)) {
    return value.flatMap((item) => {
      if (!isCollection(item) || isEmpty(item)) return [`${pad}- ${lines(item, 0)[0]}`];
      // The first line of a nested block goes after the dash; the rest stays aligned under it.
      const [first, ...rest] = lines(item, indent + 2);
      return [`${pad}- ${String(first).trimStart()}`, ...rest];
    });
  }
  return Object.entries(value).flatMap(([key, item]) => {
    const name = plainKey.test(key) ? key : JSON.stringify(key);
    if (!isCollection(item) || isEmpty(item)) return [`${pad}${name}: ${lines(item, 0)[0]}`];
    return [`${pad}${name}:`, ...lines(item, indent + 2)];
  });
}
