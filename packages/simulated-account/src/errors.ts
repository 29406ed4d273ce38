/**
 * An AWS API error raised by a simulated operation. The middleware turns it into the client's own
 * service exception (EC2ServiceException, SNSServiceException, …) so `error.name` is the AWS code.
 */
export class SimApiError extends Error {
  constructor(
    /** The exact AWS error code, e.g. "InvalidAMIID.NotFound". */
    readonly code: string,
    message: string,
    /** The HTTP status AWS answers with. */
    readonly httpStatusCode = 400,
  ) {
    super(message);
    this.name = code;
  }

  /** "server" for 5xx, as the SDK classifies faults. */
  get fault(): "client" | "server" {
    return this.httpStatusCode >= 500 ? "server" : "client";
  }
}

/** A command the simulated account does not model; raised instead of silently succeeding. */
export class UnsupportedCommandError extends Error {
  constructor(
    readonly service: string,
    readonly commandName: string,
  ) {
    super(`The simulated AWS account does not support ${service} ${commandName}`);
    this.name = "UnsupportedCommandError";
  }
}

/** A call made in a region the simulated account was not created with. */
export class UnknownRegionError extends Error {
  constructor(readonly region: string) {
    super(`The simulated AWS account has no region ${region}`);
    this.name = "UnknownRegionError";
  }
}
