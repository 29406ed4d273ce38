import { OrganizationsClient } from "@aws-sdk/client-organizations";
import { STSClient } from "@aws-sdk/client-sts";
import {
  type CrossAccountClientFactories,
  type CrossAccountSessions,
  openCrossAccountSession,
} from "../runtime/cross-account";

/** The STS and Organizations clients the sweep's cross-account sessions sign with. */
const factories: CrossAccountClientFactories = {
  newStsClient: (config) => new STSClient(config),
  newOrganizationsClient: (config) => new OrganizationsClient(config),
};

/**
 * The cross-account sessions, for the runtimes that gather cross-account evidence (the sweep): passed
 * as `RuntimeOptions.crossAccount` so that only their bundles carry these clients and the session code.
 */
export const crossAccountClients: CrossAccountSessions = {
  open: (input) => openCrossAccountSession({ ...input, factories }),
};
