/**
 * local — the app's containers on this machine, for `switchyard run`.
 *
 * Input: a valid `App` (its environment's `local` section says how each container runs: a
 * command, an address that already serves, or the built-in stand-in). Output: running local
 * containers, where each one's Service resolves to (EndpointSlices for the translator), the TLS
 * Secrets a local run needs (the local CA issues what only a cluster would have), and the default
 * Gateway when no environment is given.
 * Invariants: a container keeps its local ports across reloads and restarts; commands get PORT
 * and the same CONNECTION_* variables the Kubernetes recipe sets, pointing at local addresses;
 * every process and socket started here is stopped by `close()`. The CA key is written mode 0600.
 * May import diag, util and model.
 */
export { localCertificates, hostnamesFor, type LocalCertificates } from './certificates.ts'
export { configDir, CONFIG_DIR_VARIABLE } from './config-dir.ts'
export { DEFAULT_PORTS, defaultGateways, missingGatewayClasses } from './default-environment.ts'
export { endpointSlices, type PlacedPort, type PlacedService } from './endpoint-slices.ts'
export { LocalCA, type CAInfo, type IssuedCertificate } from './local-ca.ts'
export { LocalRuntime, type LocalContainer, type LocalRuntimeOptions } from './local-runtime.ts'
export { DEFAULT_BACKOFF, restartDelay, type Backoff } from './managed-process.ts'
export { startStandIn, type StandIn, type StandInIdentity } from './stand-in.ts'
