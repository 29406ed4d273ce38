import type { ImagePointers } from "@ami-lifecycle/core";
import { GetParameterCommand, PutParameterCommand } from "@aws-sdk/client-ssm";
import type { AwsClients } from "../clients";
import { hasAwsErrorCode, translateAwsError, withAwsErrors } from "../errors";

/**
 * Channel pointers in SSM Parameter Store, one standard String parameter of DataType `aws:ec2:image` per
 * family, channel and region. SSM checks such a value asynchronously: PutParameter succeeds and a value
 * that is not an available image of the account is not stored, so a later read shows the old value.
 */
export class SsmImagePointers implements ImagePointers {
  constructor(private readonly clients: Pick<AwsClients, "ssm">) {}

  async getPointer(region: string, name: string): Promise<string | undefined> {
    try {
      const { Parameter } = await this.clients.ssm(region).send(new GetParameterCommand({ Name: name }));
      return Parameter?.Value;
    } catch (error) {
      if (hasAwsErrorCode(error, "ParameterNotFound")) return undefined;
      throw translateAwsError("SSM.GetParameter", error);
    }
  }

  async putPointer(region: string, name: string, imageId: string): Promise<void> {
    await withAwsErrors("SSM.PutParameter", () =>
      this.clients.ssm(region).send(
        new PutParameterCommand({
          Name: name,
          Value: imageId,
          Type: "String",
          DataType: "aws:ec2:image",
          Overwrite: true,
          Description: "ami-lifecycle channel pointer",
        }),
      ),
    );
  }
}
