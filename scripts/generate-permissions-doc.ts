/**
 * Writes docs/permissions.md (the removed-grant table) from the roles and the removed-grant proof.
 * Run after changing a role or the proof: `npx tsx scripts/generate-permissions-doc.ts`.
 * A unit test fails while the committed file is out of date.
 */
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { renderPermissionsDoc } from "../test/support/permissions-doc";

writeFileSync(fileURLToPath(new URL("../docs/permissions.md", import.meta.url)), renderPermissionsDoc());
console.log("wrote docs/permissions.md");
