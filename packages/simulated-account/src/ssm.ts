import type {
  DescribeParametersCommandInput,
  GetParameterCommandInput,
  GetParametersByPathCommandInput,
  Parameter,
  PutParameterCommandInput,
} from "@aws-sdk/client-ssm";
import { SimApiError } from "./errors";
import { isWellFormedId } from "./ids";
import type { SimParameter } from "./state";
import type { CallContext, SimWorld } from "./world";

const EC2_IMAGE_DATA_TYPE = "aws:ec2:image";

function render(world: SimWorld, region: string, parameter: SimParameter): Parameter {
  return {
    Name: parameter.name,
    Type: parameter.type,
    Value: parameter.value,
    Version: parameter.version,
    LastModifiedDate: new Date(parameter.lastModifiedDate),
    ARN: `arn:aws:ssm:${region}:${world.accountId}:parameter/${parameter.name.replace(/^\//, "")}`,
    DataType: parameter.dataType,
  };
}

/**
 * An aws:ec2:image value must name an available AMI of the account in the region. SSM checks this
 * asynchronously: PutParameter succeeds and an invalid value is silently not stored (PutParameter API reference).
 */
function isValidImageValue(world: SimWorld, region: string, value: string): boolean {
  if (!isWellFormedId("ami", value)) return false;
  return world.region(region).images.get(value)?.state === "available";
}

/** Puts a parameter as PutParameter does; returns the version it answers with. */
export function putParameter(world: SimWorld, region: string, input: PutParameterCommandInput): number {
  const state = world.region(region);
  const name = input.Name ?? "";
  if (!name || input.Value === undefined)
    throw new SimApiError("ValidationException", "Name and Value are required.");
  const dataType = input.DataType ?? "text";
  if (dataType !== "text" && dataType !== EC2_IMAGE_DATA_TYPE) {
    throw new SimApiError("InvalidDataType", `The data type '${dataType}' is not supported.`);
  }
  const existing = state.parameters.get(name);
  if (existing && !input.Overwrite) {
    throw new SimApiError(
      "ParameterAlreadyExists",
      "The parameter already exists. To overwrite this value, set the overwrite option in the request to true.",
    );
  }
  const version = (existing?.version ?? 0) + 1;
  if (dataType === EC2_IMAGE_DATA_TYPE && !isValidImageValue(world, region, input.Value)) return version;
  state.parameters.set(name, {
    name,
    value: input.Value,
    type: input.Type ?? existing?.type ?? "String",
    dataType,
    version,
    lastModifiedDate: world.clock.now(),
    ...(input.Description !== undefined ? { description: input.Description } : {}),
  });
  return version;
}

function requireParameter(world: SimWorld, region: string, name: string | undefined): SimParameter {
  const parameter = world.region(region).parameters.get(name ?? "");
  if (!parameter) throw new SimApiError("ParameterNotFound", `Parameter ${name ?? ""} not found.`);
  return parameter;
}

function page<T>(items: T[], maxResults: number | undefined, limit: number, token: string | undefined) {
  const size = maxResults ?? limit;
  if (size < 1 || size > limit)
    throw new SimApiError("ValidationException", `MaxResults must be between 1 and ${limit}.`);
  const start = token ? Number(token) : 0;
  const end = start + size;
  return { items: items.slice(start, end), ...(end < items.length ? { NextToken: String(end) } : {}) };
}

/** SSM Parameter Store operations answered by the simulated account. */
export const ssmHandlers = {
  PutParameter(world: SimWorld, call: CallContext, input: PutParameterCommandInput) {
    return { Version: putParameter(world, call.region, input), Tier: "Standard" as const };
  },

  GetParameter(world: SimWorld, call: CallContext, input: GetParameterCommandInput) {
    return { Parameter: render(world, call.region, requireParameter(world, call.region, input.Name)) };
  },

  GetParametersByPath(world: SimWorld, call: CallContext, input: GetParametersByPathCommandInput) {
    const path = input.Path ?? "/";
    const prefix = path.endsWith("/") ? path : `${path}/`;
    const matches = [...world.region(call.region).parameters.values()]
      .filter((parameter) => parameter.name.startsWith(prefix))
      .filter((parameter) => input.Recursive || !parameter.name.slice(prefix.length).includes("/"))
      .sort((a, b) => a.name.localeCompare(b.name));
    const { items, NextToken } = page(matches, input.MaxResults, 10, input.NextToken);
    return {
      Parameters: items.map((parameter) => render(world, call.region, parameter)),
      ...(NextToken ? { NextToken } : {}),
    };
  },

  DescribeParameters(world: SimWorld, call: CallContext, input: DescribeParametersCommandInput) {
    const filters = input.ParameterFilters ?? [];
    const matches = [...world.region(call.region).parameters.values()]
      .filter((parameter) =>
        filters.every((filter) => {
          const values = filter.Values ?? [];
          const field =
            filter.Key === "Name"
              ? parameter.name
              : filter.Key === "DataType"
                ? parameter.dataType
                : filter.Key === "Type"
                  ? parameter.type
                  : undefined;
          if (filter.Key === "Path")
            return values.some((path) => parameter.name.startsWith(path.endsWith("/") ? path : `${path}/`));
          if (field === undefined)
            throw new SimApiError("InvalidFilterKey", `Filter key ${filter.Key} is not supported.`);
          return filter.Option === "BeginsWith"
            ? values.some((value) => field.startsWith(value))
            : values.includes(field);
        }),
      )
      .sort((a, b) => a.name.localeCompare(b.name));
    const { items, NextToken } = page(matches, input.MaxResults, 50, input.NextToken);
    return {
      Parameters: items.map((parameter) => ({
        Name: parameter.name,
        Type: parameter.type,
        Version: parameter.version,
        LastModifiedDate: new Date(parameter.lastModifiedDate),
        DataType: parameter.dataType,
        ARN: render(world, call.region, parameter).ARN,
      })),
      ...(NextToken ? { NextToken } : {}),
    };
  },
};
