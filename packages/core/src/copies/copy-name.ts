/**
 * Characters CopyImage (and CreateImage) accept in `Name`: letters, digits, ( ) [ ] space . / - ' @ _
 * (EC2 API reference, CopyImage, "Constraints: 3-128 ...").
 */
const refusedCharacters = /[^A-Za-z0-9()[\]./\-'@_ ]+/g;
const minLength = 3;
const maxLength = 128;

/** True when EC2 accepts `name` as an image name. */
export function isAcceptedImageName(name: string): boolean {
  return name.length >= minLength && name.length <= maxLength && name.replace(refusedCharacters, "") === name;
}

/**
 * The name a version's copies get: the version's own name when EC2 accepts it, otherwise a derived one
 * (each run of refused characters becomes `-`, cut to 128 characters, a name shorter than 3 padded with
 * `-`). An image registered under older naming rules, or by a source the rules did not bind, would
 * otherwise never get a copy at all: CopyImage refuses it with InvalidAMIName.Malformed every time.
 */
export function copyImageName(name: string): string {
  if (isAcceptedImageName(name)) return name;
  return name.replace(refusedCharacters, "-").slice(0, maxLength).padEnd(minLength, "-");
}
