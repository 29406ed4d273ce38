/** The tables: the version registry (single-table design) and the sweep's and rollback's request records. */
export function createStorage(input: { production: boolean }) {
  const { production } = input;

  // Point-in-time recovery and deletion protection cost little and guard the only state the service
  // can't rebuild from EC2 (version numbers, retirement stages); dev stages stay cheap and removable.
  const registry = new sst.aws.Dynamo("Registry", {
    fields: { pk: "string", sk: "string" },
    primaryIndex: { hashKey: "pk", rangeKey: "sk" },
    deletionProtection: production,
    transform: {
      table: (args, opts) => {
        args.pointInTimeRecovery = { enabled: production };
        if (production) opts.retainOnDelete = true;
      },
    },
  });

  // Request records expire by themselves (oncePerRequest writes `expiration`); losing them only
  // means a duplicate event is processed again, which every handler tolerates.
  const idempotency = new sst.aws.Dynamo("Idempotency", {
    fields: { id: "string" },
    primaryIndex: { hashKey: "id" },
    ttl: "expiration",
    transform: {
      table: (args) => {
        args.pointInTimeRecovery = { enabled: false };
      },
    },
  });

  return { registry, idempotency };
}

/** The tables created by createStorage. */
export type Storage = ReturnType<typeof createStorage>;
