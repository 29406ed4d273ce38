/** The version registry table (single-table design, see packages/aws/src/registry). */
export function createStorage() {
  const registry = new sst.aws.Dynamo("Registry", {
    fields: { pk: "string", sk: "string" },
    primaryIndex: { hashKey: "pk", rangeKey: "sk" },
  });
  return { registry };
}
