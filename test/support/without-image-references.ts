import { type EC2Client, EC2ServiceException } from "@aws-sdk/client-ec2";

/**
 * Answers DescribeImageReferences with InvalidAction, as a region or partition without it does, so the
 * finder takes its fallback. Added at `initialize`, ahead of any simulated account or HTTP handler.
 */
export function withoutImageReferences(client: EC2Client): void {
  client.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName !== "DescribeImageReferencesCommand") return next(args);
      throw new EC2ServiceException({
        name: "InvalidAction",
        message: "The action DescribeImageReferences is not valid for this web service.",
        $fault: "client",
        $metadata: { httpStatusCode: 400 },
      });
    },
    { step: "initialize", name: "withoutImageReferences" },
  );
}
