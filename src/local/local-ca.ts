import { randomBytes, X509Certificate } from 'node:crypto'
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { hostname as machineName, userInfo } from 'node:os'
import { isIP } from 'node:net'
import { join } from 'node:path'
import forge from 'node-forge'
import { SwitchyardError } from '../diag/index.ts'

/** What `switchyard certs` shows about the CA. */
export interface CAInfo {
  readonly certPath: string
  readonly keyPath: string
  readonly subject: string
  /** SHA-256 of the DER certificate, colon-separated hex (as browsers and openssl show it). */
  readonly fingerprint: string
  readonly notAfter: Date
}

export interface IssuedCertificate {
  readonly certPem: string
  readonly keyPem: string
}

const CA_YEARS = 10
const LEAF_DAYS = 90

/**
 * Switchyard's local certificate authority: one per user, created on first use in the config
 * directory (`<dir>/ca/cert.pem`, and `key.pem` readable only by the user), so TLS termination on
 * this machine works with `curl --cacert <dir>/ca/cert.pem` without trusting anything system-wide.
 * Leaf certificates live in memory only and are cached by hostname set, so a reload issues nothing
 * new and the configuration stays unchanged.
 */
export class LocalCA {
  readonly certPath: string
  readonly keyPath: string
  readonly certPem: string
  /** True when this call created the CA. */
  readonly created: boolean
  readonly #cert: forge.pki.Certificate
  readonly #key: forge.pki.rsa.PrivateKey
  readonly #issued = new Map<string, IssuedCertificate>()

  private constructor(dir: string, created: boolean) {
    this.certPath = join(dir, 'cert.pem')
    this.keyPath = join(dir, 'key.pem')
    this.created = created
    try {
      this.certPem = readFileSync(this.certPath, 'utf8')
      this.#cert = forge.pki.certificateFromPem(this.certPem)
      this.#key = forge.pki.privateKeyFromPem(readFileSync(this.keyPath, 'utf8'))
    } catch (cause) {
      throw new SwitchyardError('LOCAL_CA_UNREADABLE', `the local CA in ${dir} cannot be read (${(cause as Error).message}); remove that directory to create a new one`, { cause })
    }
  }

  /** Opens the CA under `configDir`, creating it if there is none yet. */
  static open(configDir: string): LocalCA {
    const dir = join(configDir, 'ca')
    if (existsSync(join(dir, 'cert.pem'))) return new LocalCA(dir, false)
    let created = false
    try {
      mkdirSync(configDir, { recursive: true, mode: 0o700 })
      // Written in a private temporary directory, then renamed into place in one step: two runs
      // starting at once never mix one CA's certificate with the other's key.
      const tmp = mkdtempSync(join(configDir, '.ca-'))
      chmodSync(tmp, 0o700)
      const { certPem, keyPem } = createCA()
      writeFileSync(join(tmp, 'key.pem'), keyPem, { mode: 0o600 })
      writeFileSync(join(tmp, 'cert.pem'), certPem, { mode: 0o644 })
      try {
        renameSync(tmp, dir)
        created = true
      } catch (e) {
        rmSync(tmp, { recursive: true, force: true })
        if (!existsSync(join(dir, 'cert.pem'))) throw e
      }
    } catch (cause) {
      if (cause instanceof SwitchyardError) throw cause
      throw new SwitchyardError('LOCAL_CA_WRITE_FAILED', `cannot create the local CA in ${dir}: ${(cause as Error).message}`, { cause })
    }
    return new LocalCA(dir, created)
  }

  info(): CAInfo {
    const x = new X509Certificate(this.certPem)
    return { certPath: this.certPath, keyPath: this.keyPath, subject: x.subject.replace(/\n/g, ', '), fingerprint: x.fingerprint256, notAfter: new Date(x.validTo) }
  }

  /**
   * A server certificate for these names (DNS names, `*.` wildcards, or IP addresses), signed by
   * the CA. The same set of names gives the same certificate for the life of this object.
   */
  issue(names: readonly string[]): IssuedCertificate {
    const unique = [...new Set(names.map((n) => n.toLowerCase()))].sort()
    const key = unique.join(' ')
    const cached = this.#issued.get(key)
    if (cached) return cached
    const keys = forge.pki.rsa.generateKeyPair({ bits: 2048 })
    const cert = forge.pki.createCertificate()
    cert.publicKey = keys.publicKey
    cert.serialNumber = serial()
    const now = Date.now()
    cert.validity.notBefore = new Date(now - 3600_000)
    cert.validity.notAfter = new Date(now + LEAF_DAYS * 86400_000)
    cert.setSubject([{ name: 'organizationName', value: 'Switchyard local development' }, { name: 'commonName', value: unique[0] ?? 'localhost' }])
    cert.setIssuer(this.#cert.subject.attributes)
    cert.setExtensions([
      { name: 'basicConstraints', cA: false, critical: true },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      // RFC 6125: clients match DNS names against subjectAltName only, never the CN.
      { name: 'subjectAltName', altNames: unique.map((n) => (isIP(n) ? { type: 7, ip: n } : { type: 2, value: n })) },
      { name: 'subjectKeyIdentifier' },
      { name: 'authorityKeyIdentifier', keyIdentifier: this.#cert.generateSubjectKeyIdentifier().getBytes() },
    ])
    cert.sign(this.#key, forge.md.sha256.create())
    const issued = { certPem: forge.pki.certificateToPem(cert), keyPem: forge.pki.privateKeyToPem(keys.privateKey) }
    this.#issued.set(key, issued)
    return issued
  }
}

function createCA(): IssuedCertificate {
  const keys = forge.pki.rsa.generateKeyPair({ bits: 3072 })
  const cert = forge.pki.createCertificate()
  cert.publicKey = keys.publicKey
  cert.serialNumber = serial()
  const now = new Date()
  cert.validity.notBefore = new Date(now.getTime() - 3600_000)
  cert.validity.notAfter = new Date(now.getTime())
  cert.validity.notAfter.setFullYear(now.getFullYear() + CA_YEARS)
  let who = 'user'
  try {
    who = `${userInfo().username}@${machineName()}`
  } catch {}
  const subject = [
    { name: 'organizationName', value: 'Switchyard local development CA' },
    { name: 'commonName', value: `Switchyard local CA ${who}` },
  ]
  cert.setSubject(subject)
  cert.setIssuer(subject)
  cert.setExtensions([
    { name: 'basicConstraints', cA: true, pathLenConstraint: 0, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ])
  cert.sign(keys.privateKey, forge.md.sha256.create())
  return { certPem: forge.pki.certificateToPem(cert), keyPem: forge.pki.privateKeyToPem(keys.privateKey) }
}

/** A random positive 128-bit serial number (RFC 5280 §4.1.2.2), as forge wants it: hex. */
function serial(): string {
  const b = randomBytes(16)
  b[0] = b[0]! & 0x7f
  return b.toString('hex')
}
