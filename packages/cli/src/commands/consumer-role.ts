import {
  type CloudFormationTemplate,
  ConfigError,
  consumerRoleTemplate,
  organizationReaderTemplate,
  sweepTrustFor,
} from "@ami-lifecycle/core";
import { type CommandSpec, flag, stringOption, writeJson } from "../cli/command";
import { CommandFailedError, ExitCode, UsageError } from "../cli/errors";
import { toYaml } from "../cli/yaml";
import { configOption, loadConfigOption } from "./common";

const outputFormats = ["yaml", "json"] as const;
const roleArnPattern = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/;

/** `consumer-role --sweep-role-arn ARN [--reader] [--output yaml|json]`: a role template to deploy by hand. */
export const consumerRoleCommand: CommandSpec = {
  name: "consumer-role",
  summary: "print the consumer role's CloudFormation template (for accounts outside the organization)",
  arguments: "",
  positionals: { min: 0, max: 0 },
  description: [
    "Prints the CloudFormation template of the read-only role the retention sweep assumes in a consumer",
    "account (organization.consumerRoleName), the same template the stacks' StackSet deploys in the",
    "configured OUs: DescribeImageReferences and the reads it makes (aws:CalledVia), the launch",
    "configuration, Auto Scaling and launch template reads, DescribeImages; nothing that writes. Its trust",
    "names only the sweep's role (--sweep-role-arn: the stack's `sweepRoleArn` output) and the roles",
    "organization.operatorRoleArns names (operators running `plan --stage`), with organization.externalId",
    "and aws:PrincipalOrgID when the families share with an organization or OU.",
    "With --reader, the template of the organization reader role (organization.managementRoleArn) for",
    "the management or a delegated-administrator account instead. The one-line deploy command goes to",
    "stderr. Reads no AWS account.",
  ].join("\n"),
  options: {
    "sweep-role-arn": {
      type: "string",
      value: "ARN",
      description: "the deployed retention sweep's role (the stack's `sweepRoleArn` output)",
    },
    reader: { type: "boolean", description: "the organization reader role instead of the consumer role" },
    output: { type: "string", value: "FORMAT", description: "yaml (default) or json" },
    ...configOption,
  },
  examples: [
    "ami-lifecycle consumer-role --sweep-role-arn arn:aws:iam::111122223333:role/ami-lifecycle-prod-RetentionSweepRole > consumer-role.yaml",
    "ami-lifecycle consumer-role --reader --sweep-role-arn arn:aws:iam::111122223333:role/ami-lifecycle-prod-RetentionSweepRole",
  ],
  async run({ values }, io) {
    const output = stringOption(values, "output") ?? "yaml";
    if (!(outputFormats as readonly string[]).includes(output))
      throw new UsageError(`--output must be yaml or json, got "${output}"`, "consumer-role");
    const sweepRoleArn = stringOption(values, "sweep-role-arn");
    if (sweepRoleArn === undefined)
      throw new UsageError(
        "missing --sweep-role-arn: the deployed retention sweep's role ARN",
        "consumer-role",
      );
    if (!roleArnPattern.test(sweepRoleArn))
      throw new UsageError(
        `--sweep-role-arn must be an IAM role ARN, got "${sweepRoleArn}"`,
        "consumer-role",
      );
    const reader = flag(values, "reader");
    const { config } = loadConfigOption(values, io);
    let template: CloudFormationTemplate;
    try {
      const trust = sweepTrustFor(config, [sweepRoleArn]);
      template = reader ? organizationReaderTemplate(config, trust) : consumerRoleTemplate(config, trust);
    } catch (error) {
      if (error instanceof ConfigError)
        throw new CommandFailedError(error.message, undefined, { cause: error });
      throw error;
    }
    if (output === "json") writeJson(io, template);
    else io.out(toYaml(template));
    const file = `ami-lifecycle-${reader ? "organization-reader" : "consumer-role"}.${output}`;
    io.err(
      `Deploy (in the ${reader ? "management or delegated-administrator" : "consumer"} account, output saved as ${file}):\n` +
        `  aws cloudformation deploy --template-file ${file} --stack-name ami-lifecycle-${reader ? "organization-reader" : "consumer-role"} --capabilities CAPABILITY_NAMED_IAM --region ${config.homeRegion}\n`,
    );
    return ExitCode.ok;
  },
};
