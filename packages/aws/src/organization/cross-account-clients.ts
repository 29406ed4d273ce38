import { OrganizationsClient } from "@aws-sdk/client-organizations";
import { STSClient } from "@aws-sdk/client-sts";
import type { CrossAccountClientFactories } from "../runtime/cross-account";

/**
 * The STS and Organizations clients, for the runtimes that gather cross-account evidence (the sweep):
 * passed as `RuntimeOptions.crossAccount` so that only their bundles carry these clients.
 */
export const crossAccountClients: CrossAccountClientFactories = {
  newStsClient: (config) => new STSClient(config),
  newOrganizationsClient: (config) => new OrganizationsClient(config),
};
