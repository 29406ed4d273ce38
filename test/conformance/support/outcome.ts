/** The call's outcome: "accepted", or the name of the error it was refused with (gaps compare these). */
export function outcomeOf(call: Promise<unknown>): Promise<string> {
  return call.then(
    () => "accepted",
    (error: Error) => error.name,
  );
}
