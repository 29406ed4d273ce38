import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import ts from "typescript";

/** One broken layering rule: which file, which import (or `process.env`), and the rule it breaks. */
export interface LayeringViolation {
  file: string;
  specifier: string;
  rule: string;
}

/** A source file to check, by its path from the repository root. */
export interface LayeringSource {
  file: string;
  text: string;
}

/** Imports packages/core must never make: it is the domain, the AWS SDK sits behind its ports. */
const coreForbidden = [/^@aws-sdk\//, /^@ami-lifecycle\/aws(\/|$)/];

/** Folders of packages/core that run the capabilities (orchestrators); every other folder is a capability. */
const coreOrchestrators = ["sweep", "reactions"];

/** The orchestrator folder of packages/core a repository path (no extension) lies in, if any. */
function orchestratorOf(target: string): string | undefined {
  const [top, name, folder, file] = target.split("/");
  if (top !== "packages" || name !== "core" || folder !== "src" || file === undefined) return undefined;
  return coreOrchestrators.includes(file) ? file : undefined;
}

/** True when a repository path is inside a capability folder of packages/core (not an orchestrator, not a root file). */
function inCapability(file: string): boolean {
  const parts = file.split("/");
  return (
    parts.length > 4 &&
    parts[0] === "packages" &&
    parts[1] === "core" &&
    parts[2] === "src" &&
    !orchestratorOf(file)
  );
}

/** The workspace package a repository path belongs to (`packages/core`, `functions`), if any. */
function packageOf(file: string): string | undefined {
  const [top, name] = file.split("/");
  if (top === "packages" && name) return `packages/${name}`;
  if (top === "functions") return "functions";
  return undefined;
}

/** True when `target` (a repository path, no extension) is a package's entry rather than a private file. */
function isEntry(target: string, owner: string): boolean {
  const inside = target.slice(owner.length + 1);
  return owner === "functions" ? inside === "index" : inside === "src/index" || inside === "src";
}

/**
 * The layering rules: packages/core imports neither `@aws-sdk/*` nor packages/aws and never reads
 * `process.env`; production code (packages/*, functions/) imports another package only through its
 * entry (`@ami-lifecycle/<name>`, never `@ami-lifecycle/<name>/…` or a relative path into it), and no
 * package under packages/ reaches outside its own folder by a relative path. Inside packages/core, a
 * capability folder never imports the orchestrators that run it (`sweep/`, `reactions/`): the
 * dependency points from the orchestrator to the capabilities.
 */
export function layeringViolations(sources: readonly LayeringSource[]): LayeringViolation[] {
  const violations: LayeringViolation[] = [];
  for (const { file, text } of sources) {
    const owner = packageOf(file);
    if (!owner) continue;
    const inCore = owner === "packages/core";
    for (const { fileName: specifier } of ts.preProcessFile(text, true, true).importedFiles) {
      if (inCore && coreForbidden.some((pattern) => pattern.test(specifier)))
        violations.push({
          file,
          specifier,
          rule: "packages/core must not import the AWS SDK or packages/aws",
        });
      if (/^@ami-lifecycle\/[^/]+\/.+/.test(specifier))
        violations.push({ file, specifier, rule: "import a package through its entry, not its files" });
      if (!specifier.startsWith(".")) continue;
      const target = path.posix.normalize(path.posix.join(path.posix.dirname(file), specifier));
      if (inCapability(file) && orchestratorOf(target))
        violations.push({
          file,
          specifier,
          rule: "a capability must not import the sweep or the reactions (they import it)",
        });
      if (target === owner || target.startsWith(`${owner}/`)) continue;
      if (inCore && target.startsWith("packages/aws"))
        violations.push({
          file,
          specifier,
          rule: "packages/core must not import the AWS SDK or packages/aws",
        });
      const targetOwner = packageOf(target);
      // The handlers are the app: they may read the app's own files (its config), packages only by name.
      if (owner === "functions" && !targetOwner) continue;
      violations.push({
        file,
        specifier,
        rule:
          targetOwner && isEntry(target, targetOwner)
            ? "import another package by its name, not a relative path"
            : "a package must not import another package's private files",
      });
    }
    if (inCore && readsProcessEnv(file, text))
      violations.push({ file, specifier: "process.env", rule: "packages/core must not read process.env" });
  }
  return violations;
}

/** True when the code (not its comments) reads `process.env` or `process["env"]`. */
function readsProcessEnv(file: string, text: string): boolean {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, false);
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found) return;
    const access =
      (ts.isPropertyAccessExpression(node) && node.name.text === "env") ||
      (ts.isElementAccessExpression(node) &&
        ts.isStringLiteral(node.argumentExpression) &&
        node.argumentExpression.text === "env");
    if (access && ts.isIdentifier(node.expression) && node.expression.text === "process") found = true;
    else ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** Every TypeScript file of the production code: packages/<name>/src and functions/. */
export function productionSources(root: string): LayeringSource[] {
  const roots = [
    ...readdirSync(path.join(root, "packages")).map((name) => `packages/${name}/src`),
    "functions",
  ];
  return roots.flatMap((folder) =>
    (readdirSync(path.join(root, folder), { recursive: true }) as string[])
      .filter((name) => name.endsWith(".ts"))
      .map((name) => {
        const file = `${folder}/${name.split(path.sep).join("/")}`;
        return { file, text: readFileSync(path.join(root, file), "utf8") };
      }),
  );
}
