import { DynamoDBServiceException } from "@aws-sdk/client-dynamodb";
import type {
  HandlerExecutionContext,
  InitializeHandler,
  InitializeHandlerArguments,
  MetadataBearer,
  Pluggable,
} from "@smithy/types";
import type { IamAuthorizer } from "./authorizer";
import type { IamRequest } from "./request";

// biome-ignore lint/suspicious/noExplicitAny: DynamoDB command inputs, read by field name.
type AnyInput = any;

/** The IAM action of each kind of item in TransactWriteItems (TransactWriteItems is no IAM action). */
const transactItemActions: Record<string, string> = {
  Put: "dynamodb:PutItem",
  Update: "dynamodb:UpdateItem",
  Delete: "dynamodb:DeleteItem",
  ConditionCheck: "dynamodb:ConditionCheckItem",
};

/** The authorisations DynamoDB makes for one command, per table (and per item of a transaction). */
export function dynamoDbRequests(
  operation: string,
  input: AnyInput,
  tableArn: (name: string) => string,
): IamRequest[] {
  const on = (action: string, table: string): IamRequest => ({
    action,
    resource: tableArn(table),
    context: {},
  });
  if (operation === "TransactWriteItems") {
    return ((input.TransactItems as AnyInput[] | undefined) ?? []).flatMap((item) =>
      Object.entries(item).flatMap(([kind, body]) =>
        transactItemActions[kind]
          ? [on(transactItemActions[kind], String((body as AnyInput).TableName))]
          : [],
      ),
    );
  }
  if (operation === "TransactGetItems") {
    return ((input.TransactItems as AnyInput[] | undefined) ?? []).map((item) =>
      on("dynamodb:GetItem", String(item.Get?.TableName)),
    );
  }
  if (operation === "BatchGetItem" || operation === "BatchWriteItem") {
    return Object.keys(input.RequestItems ?? {}).map((table) => on(`dynamodb:${operation}`, table));
  }
  const table = String(input.TableName);
  if ((operation === "Query" || operation === "Scan") && input.IndexName) {
    return [
      {
        action: `dynamodb:${operation}`,
        resource: `${tableArn(table)}/index/${input.IndexName}`,
        context: {},
      },
    ];
  }
  return [on(`dynamodb:${operation}`, table)];
}

/**
 * Evaluates the DynamoDB client's commands (they go to DynamoDB Local, not through the simulated
 * account) against the principal's policies before they are sent; denied → AccessDeniedException.
 */
export function iamDynamoDbPlugin(
  iam: IamAuthorizer,
  options: { principalArn: string; region: string },
): Pluggable<object, MetadataBearer> {
  const tableArn = (name: string) => `arn:aws:dynamodb:${options.region}:${iam.accountId}:table/${name}`;
  const middleware =
    (next: InitializeHandler<object, MetadataBearer>, context: HandlerExecutionContext) =>
    async (args: InitializeHandlerArguments<object>) => {
      const operation = (context.commandName ?? "").replace(/Command$/, "");
      const denial = await iam.authorize(
        options.principalArn,
        dynamoDbRequests(operation, args.input, tableArn),
      );
      if (denial) {
        throw new DynamoDBServiceException({
          name: "AccessDeniedException",
          $fault: "client",
          $metadata: { httpStatusCode: 400 },
          message: `User: ${denial.principalArn} is not authorized to perform: ${denial.action} on resource: ${denial.resource} because no identity-based policy allows the ${denial.action} action`,
        });
      }
      return next(args);
    };
  return {
    applyToStack: (stack) => {
      stack.add(middleware, {
        step: "initialize",
        priority: "high",
        name: "simulatedIamMiddleware",
        override: true,
      });
    },
  };
}
