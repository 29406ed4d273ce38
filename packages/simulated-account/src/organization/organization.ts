import { type SimulatableClient, SimulatedAccount, type SimulatedAccountOptions } from "../account";
import { SimClock } from "../clock";
import { requireImage } from "../ec2/common";
import { DEFAULT_USAGE_REPORT_TIMING, type UsageReportTiming } from "../ec2/usage-reports";
import { SimApiError } from "../errors";
import type { PolicyDocumentJson } from "../iam/authorizer";
import type { CredentialRoute } from "../middleware";
import * as seed from "../seed";
import type { SimImage } from "../state";
import type { SimWorld } from "../world";
import type { StsBackend } from "./sts";
import { canLaunch, type OrganizationMember, type OrganizationView } from "./view";

/** One organizational unit and the accounts in it. */
export interface SimOuOptions {
  name: string;
  accounts: { id: string; name?: string }[];
  /** name of the parent OU (absent: under the root) */
  parent?: string;
}

/** Options of a simulated organization. */
export interface SimulatedOrganizationOptions {
  /** the management account (it also owns the images in most tests; default 111122223333) */
  managementAccountId?: string;
  regions?: string[];
  clock?: SimClock;
  organizationalUnits?: SimOuOptions[];
  /** accounts directly under the root besides the management account */
  rootAccounts?: { id: string; name?: string }[];
  /** lag and build time of AMI usage reports (defaults: instances 24 h, launch templates 3 days, ready in 1 h) */
  usageReports?: Partial<UsageReportTiming>;
  /** options every account gets (ids, regions and clock are the organization's) */
  accountOptions?: Omit<SimulatedAccountOptions, "accountId" | "regions" | "clock">;
}

/** An IAM role of one account as AssumeRole sees it. */
export interface SimRoleOptions {
  trustPolicy: { Version?: string; Statement: object[] };
  /** identity policies of its sessions (absent: sessions are not evaluated, like the test world's principals) */
  policies?: { name: string; document: PolicyDocumentJson }[];
}

interface Session {
  accountId: string;
  principalArn: string;
}

/**
 * AWS Organizations in memory: a management account and member accounts in OUs, each a full
 * SimulatedAccount with its own state and IAM, sharing one clock. Launch permissions make an
 * account's images visible and usable in the others; STS AssumeRole hands out credentials that land
 * in the role's account; the management account (or a delegated administrator) lists the accounts.
 */
export class SimulatedOrganization {
  readonly clock: SimClock;
  readonly organizationId = "o-simorg1234";
  readonly managementAccountId: string;
  readonly rootId = "r-sim1";
  private readonly accounts = new Map<string, SimulatedAccount>();
  private readonly members: (OrganizationMember & { parentId: string; joinedAt: Date })[] = [];
  private readonly units: { id: string; arn: string; name: string; parentId: string }[] = [];
  private readonly roles = new Map<string, SimRoleOptions>();
  private readonly sessions = new Map<string, Session>();
  private readonly delegated = new Set<string>();
  private readonly view: OrganizationView;

  constructor(options: SimulatedOrganizationOptions = {}) {
    this.clock = options.clock ?? new SimClock();
    this.managementAccountId = options.managementAccountId ?? "111122223333";
    const organizationArn = `arn:aws:organizations::${this.managementAccountId}:organization/${this.organizationId}`;
    const timing = { ...DEFAULT_USAGE_REPORT_TIMING, ...options.usageReports };
    this.view = this.buildView(organizationArn, timing);
    const join = (id: string, name: string, parentId: string, ouArn?: string) => {
      const account = new SimulatedAccount({
        ...options.accountOptions,
        accountId: id,
        clock: this.clock,
        ...(options.regions ? { regions: options.regions } : {}),
        // distinct ids per account, so resources never collide across the organization
        seed: (options.accountOptions?.seed ?? 1) + this.accounts.size * 7919,
      });
      account.simWorld().organization = this.view;
      this.accounts.set(id, account);
      this.members.push({
        accountId: id,
        name,
        parentId,
        joinedAt: this.clock.now(),
        ...(ouArn ? { ouArn } : {}),
      });
    };
    join(this.managementAccountId, "management", this.rootId);
    for (const account of options.rootAccounts ?? [])
      join(account.id, account.name ?? `account-${account.id}`, this.rootId);
    for (const [index, ou] of (options.organizationalUnits ?? []).entries()) {
      const id = `ou-sim1-${String(index + 1).padStart(8, "0")}`;
      const arn = `arn:aws:organizations::${this.managementAccountId}:ou/${this.organizationId}/${id}`;
      const parentId = ou.parent ? this.ou(ou.parent).id : this.rootId;
      this.units.push({ id, arn, name: ou.name, parentId });
      for (const account of ou.accounts) join(account.id, account.name ?? `account-${account.id}`, id, arn);
    }
  }

  /** The ARN of the organization (for OrganizationArn launch permissions). */
  get organizationArn(): string {
    return this.view.organizationArn;
  }

  /** Every account id, the management account first. */
  get accountIds(): string[] {
    return [...this.accounts.keys()];
  }

  /** One account of the organization. */
  account(accountId: string): SimulatedAccount {
    const account = this.accounts.get(accountId);
    if (!account) throw new Error(`account ${accountId} is not in the simulated organization`);
    return account;
  }

  /** An OU by name: its id and ARN. */
  ou(name: string): { id: string; arn: string } {
    const unit = this.units.find((candidate) => candidate.name === name);
    if (!unit) throw new Error(`the simulated organization has no OU named ${name}`);
    return { id: unit.id, arn: unit.arn };
  }

  /** Creates (or replaces) an IAM role in an account. */
  createRole(accountId: string, roleName: string, role: SimRoleOptions): string {
    this.account(accountId);
    this.roles.set(`${accountId}/${roleName}`, role);
    return `arn:aws:iam::${accountId}:role/${roleName}`;
  }

  /** Deletes a role; sessions already handed out keep working until they expire, as in IAM. */
  deleteRole(accountId: string, roleName: string): void {
    this.roles.delete(`${accountId}/${roleName}`);
  }

  /** Registers an account as a delegated administrator: it may then list the organization. */
  delegateAdministrator(accountId: string): void {
    this.account(accountId);
    this.delegated.add(accountId);
  }

  /**
   * Builds a client in an account. Calls signed with credentials from a simulated AssumeRole land in
   * the role's account instead, as that session, whatever account the client was built for.
   */
  client<C extends SimulatableClient, Config extends object>(
    ClientClass: new (config: Config) => C,
    region: string,
    options: { accountId?: string; principalArn?: string; config?: Partial<Config> } = {},
  ): C {
    const account = this.account(options.accountId ?? this.managementAccountId);
    return account.client(ClientClass, region, {
      ...(options.principalArn ? { principalArn: options.principalArn } : {}),
      ...(options.config ? { config: options.config } : {}),
      route: this.route,
    });
  }

  /** Plugs the organization beneath a client built elsewhere (e.g. from assumed credentials). */
  attach<C extends SimulatableClient>(
    client: C,
    options: { accountId?: string; principalArn?: string } = {},
  ): C {
    const account = this.account(options.accountId ?? this.managementAccountId);
    return account.attach(client, {
      ...(options.principalArn ? { principalArn: options.principalArn } : {}),
      route: this.route,
    });
  }

  /** Moves the shared clock forward and settles every account. */
  advance(ms: number): void {
    this.clock.advance(ms);
    for (const account of this.accounts.values()) account.simWorld().settle();
  }

  /** Launches an instance in an account from its own image or one shared with it; returns its id. */
  runInstance(accountId: string, region: string, imageId: string): string {
    const world = this.account(accountId).simWorld();
    world.settle();
    const shared = this.view.usableImage(world, region, imageId);
    if (!shared) return seed.runInstance(world, region, imageId);
    const instanceId = world.ids.resourceId("i");
    world.region(region).instances.set(instanceId, {
      instanceId,
      imageId,
      state: "running",
      launchTime: world.clock.now(),
      volumes: shared.blockDevices.map((device) => ({
        deviceName: device.deviceName,
        sizeGiB: device.volumeSize,
        encrypted: device.encrypted,
      })),
      sequence: world.nextSequence(),
    });
    return instanceId;
  }

  /** Creates a launch template in an account; its image must be the account's own or shared with it. */
  createLaunchTemplate(accountId: string, region: string, name: string, imageId: string): string {
    const world = this.account(accountId).simWorld();
    this.requireUsable(world, region, imageId);
    return seed.createLaunchTemplate(world, region, name, imageId);
  }

  /** Adds a launch template version in an account (same image rule); returns its number. */
  addLaunchTemplateVersion(
    accountId: string,
    region: string,
    launchTemplateId: string,
    imageId: string,
    options: { makeDefault?: boolean } = {},
  ): number {
    const world = this.account(accountId).simWorld();
    this.requireUsable(world, region, imageId);
    return seed.addLaunchTemplateVersion(
      world,
      region,
      launchTemplateId,
      imageId,
      options.makeDefault ?? false,
    );
  }

  /** Deletes a launch template and all its versions in an account (DeleteLaunchTemplate). */
  deleteLaunchTemplate(accountId: string, region: string, launchTemplateId: string): void {
    this.account(accountId).simWorld().region(region).launchTemplates.delete(launchTemplateId);
  }

  private requireUsable(world: SimWorld, region: string, imageId: string): void {
    world.settle();
    if (this.view.usableImage(world, region, imageId)) return;
    if (!world.region(region).images.has(imageId)) {
      throw new SimApiError("InvalidAMIID.NotFound", `The image id '[${imageId}]' does not exist`);
    }
    requireImage(world.region(region), imageId);
  }

  private readonly route: CredentialRoute = (accessKeyId) => {
    const session = this.sessions.get(accessKeyId);
    if (!session) return undefined;
    return { backend: this.account(session.accountId).backend(), principalArn: session.principalArn };
  };

  private buildView(organizationArn: string, timing: UsageReportTiming): OrganizationView {
    const member = (accountId: string) => this.members.find((candidate) => candidate.accountId === accountId);
    const usableImages = (world: SimWorld, region: string) => {
      const self = member(world.accountId);
      if (!self) return [];
      const found: { image: SimImage; owner: SimWorld }[] = [];
      for (const account of this.accounts.values()) {
        const owner = account.simWorld();
        if (owner === world) continue;
        owner.settle();
        for (const image of owner.regions.get(region)?.images.values() ?? []) {
          if (canLaunch(image, self, organizationArn)) found.push({ image, owner });
        }
      }
      return found;
    };
    const sts: StsBackend = {
      role: (accountId, roleName) => {
        const role = this.roles.get(`${accountId}/${roleName}`);
        return role ? { trustPolicy: { Statement: role.trustPolicy.Statement as never } } : undefined;
      },
      openSession: (accountId, principalArn) => {
        const accessKeyId = `ASIASIM${String(this.sessions.size + 1).padStart(13, "0")}`;
        this.sessions.set(accessKeyId, { accountId, principalArn });
        const roleName = principalArn.split("/")[1] ?? "";
        const policies = this.roles.get(`${accountId}/${roleName}`)?.policies;
        if (policies) {
          this.account(accountId).iam.govern(principalArn, {
            name: `${roleName} session`,
            policies: () => policies,
          });
        }
        return {
          accessKeyId,
          secretAccessKey: "simulated-session-secret",
          sessionToken: `session-${accessKeyId}`,
        };
      },
      organizationId: () => this.organizationId,
    };
    return {
      organizationId: this.organizationId,
      organizationArn,
      managementAccountId: this.managementAccountId,
      usageReportTiming: timing,
      accountWorlds: () => [...this.accounts.values()].map((account) => account.simWorld()),
      usableImage: (world, region, imageId) =>
        usableImages(world, region).find(({ image }) => image.imageId === imageId)?.image,
      usableImages,
      sts,
      rootId: this.rootId,
      organizationalUnits: () => [...this.units],
      members: () => [...this.members],
      mayReadOrganization: (accountId) =>
        accountId === this.managementAccountId || this.delegated.has(accountId),
    };
  }
}
