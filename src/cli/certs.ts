import { writeFileSync } from 'node:fs'
import { Command } from 'commander'
import { SwitchyardError } from '../diag/index.ts'
import { configDir, LocalCA } from '../local/index.ts'

/**
 * `switchyard certs [--export FILE]`: the local CA that `switchyard run` issues certificates from
 * (created now if there is none yet): where it is, its subject, fingerprint and expiry; `--export`
 * writes its certificate (never the key) for clients and trust stores.
 */
export function certsCommand(): Command {
  return new Command('certs')
    .description('Show the local CA that `switchyard run` issues TLS certificates from, or export its certificate.')
    .option('--export <file>', 'write the CA certificate (PEM) to this file')
    .addHelpText('after', '\nExample:\n  switchyard certs --export switchyard-ca.pem\n  curl --cacert switchyard-ca.pem https://shop.localtest.me:8443/ --resolve shop.localtest.me:8443:127.0.0.1')
    .action((opts: { export?: string }) => {
      const ca = LocalCA.open(configDir())
      if (opts.export) {
        try {
          writeFileSync(opts.export, ca.certPem)
        } catch (cause) {
          throw new SwitchyardError('LOCAL_CA_EXPORT_FAILED', `cannot write ${opts.export}: ${(cause as Error).message}`, { cause })
        }
        process.stdout.write(`wrote the local CA certificate to ${opts.export}\n`)
        return
      }
      const i = ca.info()
      process.stdout.write(
        [
          `local CA${ca.created ? ' (created now)' : ''}`,
          `  certificate  ${i.certPath}`,
          `  key          ${i.keyPath} (readable only by you)`,
          `  subject      ${i.subject}`,
          `  SHA-256      ${i.fingerprint}`,
          `  expires      ${i.notAfter.toISOString()}`,
          '',
          `Clients trust it with --cacert ${i.certPath} (curl), or NODE_EXTRA_CA_CERTS=${i.certPath} (Node.js).`,
          '',
        ].join('\n'),
      )
    })
}
