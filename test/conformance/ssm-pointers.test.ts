import { SsmImagePointers } from "@ami-lifecycle/aws";
import { DescribeParametersCommand, GetParameterCommand, PutParameterCommand } from "@aws-sdk/client-ssm";
import { afterEach, describe, expect, it } from "vitest";
import { expectedOn } from "./support/gaps";
import { outcomeOf } from "./support/outcome";
import { home, type Target, targets } from "./support/targets";

const opened: Target[] = [];
afterEach(() => {
  for (const target of opened.splice(0)) target.destroy();
});

function setup(make: () => Target) {
  const target = make();
  opened.push(target);
  return { target, pointers: new SsmImagePointers(target) };
}

describe.each(targets)("SsmImagePointers on $name", ({ make, skip }) => {
  describe.skipIf(skip)("pointers", () => {
    it("putPointer stores an aws:ec2:image String parameter that getPointer reads back", async () => {
      // Prepare
      const { target, pointers } = setup(make);
      const image = await target.seedImage(home, "web-1");

      // Act
      await pointers.putPointer(home, "/ami-lifecycle/web/latest", image.imageId);
      const value = await pointers.getPointer(home, "/ami-lifecycle/web/latest");

      // Assess
      expect(value).toBe(image.imageId);
      const { Parameter } = await target
        .ssm(home)
        .send(new GetParameterCommand({ Name: "/ami-lifecycle/web/latest" }));
      expect(Parameter).toMatchObject({ Type: "String", DataType: "aws:ec2:image", Version: 1 });
      const { Parameters } = await target.ssm(home).send(
        new DescribeParametersCommand({
          ParameterFilters: [{ Key: "Name", Values: ["/ami-lifecycle/web/latest"] }],
        }),
      );
      expect(Parameters?.map((parameter) => [parameter.Name, parameter.DataType])).toEqual([
        ["/ami-lifecycle/web/latest", "aws:ec2:image"],
      ]);
    });

    it("putPointer moves an existing pointer (Overwrite) and bumps its version", async () => {
      // Prepare
      const { target, pointers } = setup(make);
      const first = await target.seedImage(home, "web-1");
      const second = await target.seedImage(home, "web-2");
      await pointers.putPointer(home, "/ami-lifecycle/web/latest", first.imageId);

      // Act
      await pointers.putPointer(home, "/ami-lifecycle/web/latest", second.imageId);

      // Assess
      expect(await pointers.getPointer(home, "/ami-lifecycle/web/latest")).toBe(second.imageId);
      const { Parameter } = await target
        .ssm(home)
        .send(new GetParameterCommand({ Name: "/ami-lifecycle/web/latest" }));
      expect(Parameter?.Version).toBe(2);
    });

    it("getPointer of a parameter that does not exist is undefined (ParameterNotFound)", async () => {
      // Prepare
      const { target, pointers } = setup(make);

      // Act
      const value = await pointers.getPointer(home, "/ami-lifecycle/none/latest");
      const error = await target
        .ssm(home)
        .send(new GetParameterCommand({ Name: "/ami-lifecycle/none/latest" }))
        .catch((caught: Error) => caught);

      // Assess
      expect(value).toBeUndefined();
      expect(error).toMatchObject({ name: "ParameterNotFound" });
    });

    it("PutParameter without Overwrite on an existing name is ParameterAlreadyExists", async () => {
      // Prepare
      const { target, pointers } = setup(make);
      const image = await target.seedImage(home, "web-1");
      await pointers.putPointer(home, "/ami-lifecycle/web/latest", image.imageId);

      // Act
      const error = await target
        .ssm(home)
        .send(
          new PutParameterCommand({
            Name: "/ami-lifecycle/web/latest",
            Value: image.imageId,
            Type: "String",
            DataType: "aws:ec2:image",
          }),
        )
        .catch((caught: Error) => caught);

      // Assess
      expect(error).toMatchObject({ name: "ParameterAlreadyExists" });
    });

    it("DescribeParameters filters on DataType (moto rejects the key with ValidationException)", async () => {
      // Prepare
      const { target, pointers } = setup(make);
      const image = await target.seedImage(home, "web-1");
      await pointers.putPointer(home, "/ami-lifecycle/web/latest", image.imageId);

      // Act
      const outcome = await target
        .ssm(home)
        .send(
          new DescribeParametersCommand({
            ParameterFilters: [{ Key: "DataType", Values: ["aws:ec2:image"] }],
          }),
        )
        .then(
          (output) => output.Parameters?.map((parameter) => parameter.Name),
          (error: Error) => error.name,
        );

      // Assess: AWS lists DataType among ParameterStringFilter keys (docs/conformance.md).
      expect(outcome).toEqual(
        expectedOn<unknown>(target, { aws: ["/ami-lifecycle/web/latest"], moto: "ValidationException" }),
      );
    });

    it("an aws:ec2:image value that is no image of the account is not stored", async () => {
      // Prepare
      const { target, pointers } = setup(make);
      const image = await target.seedImage(home, "web-1");
      await pointers.putPointer(home, "/ami-lifecycle/web/latest", image.imageId);

      // Act
      const outcome = await outcomeOf(
        pointers.putPointer(home, "/ami-lifecycle/web/latest", "ami-0123456789abcdef0"),
      );
      const value = await pointers.getPointer(home, "/ami-lifecycle/web/latest");

      // Assess: SSM accepts the call and validates asynchronously; moto stores any value (docs/conformance.md).
      expect(outcome).toBe("accepted");
      expect(value).toBe(expectedOn(target, { aws: image.imageId, moto: "ami-0123456789abcdef0" }));
    });
  });
});
