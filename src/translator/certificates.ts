import { createPrivateKey, X509Certificate } from 'node:crypto'
import type * as ir from '../ir/index.ts'
import { GATEWAY_GROUP, ListenerReason, type SecretObjectReference } from '../k8s/index.ts'
import type { Context } from './context.ts'
import { isReferencePermitted } from './reference-grants.ts'

/**
 * `malformed`: the Secret is there but its data cannot serve (no key, not PEM, a key that does not
 * match its certificate): bad configuration, which a reload may not introduce (pipeline.ts).
 */
export type ResolvedCertificate = { readonly ok: true; readonly certificate: ir.Certificate } | { readonly ok: false; readonly reason: string; readonly message: string; readonly malformed?: true }

/**
 * Resolves a listener certificateRef (gateway-api.md §5.3, §9): a core Secret (else
 * InvalidCertificateRef), cross-namespace only with a ReferenceGrant (RefNotPermitted, which takes
 * precedence even when the Secret is missing), present, with a PEM certificate in `tls.crt` and a
 * matching private key in `tls.key` (else InvalidCertificateRef). Pure: node:crypto only parses.
 */
export function resolveCertificate(ctx: Context, gatewayNamespace: string, ref: SecretObjectReference): ResolvedCertificate {
  const namespace = ref.namespace ?? gatewayNamespace
  const name = `${namespace}/${ref.name}`
  if (!isReferencePermitted(ctx.grants, { group: GATEWAY_GROUP, kind: 'Gateway', namespace: gatewayNamespace }, { group: '', kind: 'Secret', namespace, name: ref.name }))
    return { ok: false, reason: ListenerReason.RefNotPermitted, message: `certificateRef to Secret ${name} is not permitted by any ReferenceGrant in namespace ${namespace}` }
  if (ref.group !== '' || ref.kind !== 'Secret')
    return { ok: false, reason: ListenerReason.InvalidCertificateRef, message: `certificateRef ${ref.group || 'core'}/${ref.kind} ${name} is not a core Secret` }
  const secret = ctx.secrets.get(name)
  if (!secret) return { ok: false, reason: ListenerReason.InvalidCertificateRef, message: `Secret ${name} not found` }
  const crt = secret.data['tls.crt']
  const key = secret.data['tls.key']
  if (crt === undefined || key === undefined) return { ok: false, reason: ListenerReason.InvalidCertificateRef, message: `Secret ${name} lacks tls.crt or tls.key`, malformed: true }
  const certPem = Buffer.from(crt, 'base64').toString('utf8')
  const keyPem = Buffer.from(key, 'base64').toString('utf8')
  try {
    const x509 = new X509Certificate(certPem)
    const privateKey = createPrivateKey(keyPem)
    if (!x509.checkPrivateKey(privateKey)) return { ok: false, reason: ListenerReason.InvalidCertificateRef, message: `Secret ${name}: tls.key does not match tls.crt`, malformed: true }
    return { ok: true, certificate: { name, certPem, keyPem, dnsNames: dnsNames(x509) } }
  } catch {
    return { ok: false, reason: ListenerReason.InvalidCertificateRef, message: `Secret ${name}: tls.crt or tls.key is not valid PEM`, malformed: true }
  }
}

function dnsNames(x509: X509Certificate): string[] {
  const san = (x509.subjectAltName ?? '')
    .split(/,\s*/)
    .filter((s) => s.startsWith('DNS:'))
    .map((s) => s.slice(4).toLowerCase())
  if (san.length > 0) return san
  const cn = /(?:^|\n)CN=([^\n]+)/.exec(x509.subject)?.[1]
  return cn ? [cn.toLowerCase()] : []
}
