import https from 'node:https'
import { selfSignedCert } from './serve-helpers.ts'

/** A kubernetes.io/tls Secret from PEM texts, which need not belong together. */
export function secretYaml(name: string, certPem: string, keyPem: string): string {
  const b64 = (s: string) => Buffer.from(s).toString('base64')
  return `apiVersion: v1\nkind: Secret\nmetadata: { name: ${name} }\ntype: kubernetes.io/tls\ndata: { tls.crt: ${b64(certPem)}, tls.key: ${b64(keyPem)} }\n`
}

/** A certificate for `host` and its key, plus a key from another pair that does not match it. */
export function certificates(host: string): { certPem: string; keyPem: string; otherKeyPem: string } {
  const good = selfSignedCert([`DNS:${host}`])
  return { ...good, otherKeyPem: selfSignedCert([`DNS:${host}`]).keyPem }
}

/** One HTTPS request trusting only `caPem`; answers the status and the SHA-256 fingerprint of the certificate served. */
export function httpsGet(port: number, servername: string, caPem: string, path = '/'): Promise<{ status: number; fingerprint: string }> {
  return new Promise((resolve, reject) => {
    const req = https.request({ host: '127.0.0.1', port, path, servername, ca: caPem, headers: { host: servername }, agent: false }, (res) => {
      const fingerprint = (res.socket as import('node:tls').TLSSocket).getPeerCertificate().fingerprint256
      res.resume()
      res.on('end', () => resolve({ status: res.statusCode ?? 0, fingerprint }))
    })
    req.on('error', reject)
    req.end()
  })
}
