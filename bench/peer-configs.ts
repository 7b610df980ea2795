/**
 * Configuration text for the peers (nginx, HAProxy, Caddy) and the nginx backend. Pure: the
 * caller writes it into the run's temporary directory; system configuration is never read or
 * touched. Every peer gets the same shape: one worker, no access log, keep-alive to clients and
 * to the backend with limits high enough that no connection is recycled during a run.
 */
import { join } from 'node:path'

/** What a proxy under test serves; each part is optional. Upstreams are loopback ports. */
export interface ProxySpec {
  /** Directory for pid, error log and temp paths. */
  readonly dir: string
  /** `revision`: sent as response header `x-bench-revision` (reload scenario: proves a new config is live). */
  readonly http?: { readonly port: number; readonly upstream: number; readonly revision?: number }
  /** TLS terminated at the proxy, HTTP/1.1 to the upstream. */
  readonly https?: { readonly port: number; readonly upstream: number; readonly cert: string; readonly key: string; readonly pem: string }
  /** TLS passthrough: route by the ClientHello's SNI (RFC 6066 §3) without decrypting. */
  readonly tlsPassthrough?: { readonly port: number; readonly sni: string; readonly upstream: number }
  readonly tcp?: { readonly port: number; readonly upstream: number }
}

export interface BackendSpec {
  readonly dir: string
  readonly port: number
  /** The same content over TLS (the far end of TLS passthrough). */
  readonly tlsPort: number
  readonly cert: string
  readonly key: string
  /** Directory of the static files `16k` and `1m`. */
  readonly www: string
}

/** The backend's fixed small body: 100 bytes, as in issue 10's reference measurements. */
export const SMALL_BODY = 'x'.repeat(100)

/**
 * nginx 1.22 offers TLS 1.2 at most unless told (TLS 1.3 joined its defaults in 1.23.4), while
 * node, HAProxy 2.6 and wrk speak TLS 1.3: without this, nginx's handshakes were TLS 1.2 ones,
 * about a third of the server's CPU of a TLS 1.3 handshake here, and the comparison was not like
 * for like.
 */
const TLS_PROTOCOLS = 'ssl_protocols TLSv1.2 TLSv1.3;'

export interface NginxEnv {
  /** `user` directive when nginx starts as root (its workers would otherwise drop to nobody). */
  readonly user: string | null
  /** Path of ngx_stream_module.so when the stream module is dynamic; null when built in. */
  readonly streamModule: string | null
}

function nginxMain(name: string, dir: string, env: NginxEnv, withStream: boolean): string {
  const tmp = join(dir, `${name}-temp`)
  return [
    withStream && env.streamModule ? `load_module ${env.streamModule};` : '',
    env.user ? `user ${env.user};` : '',
    'daemon off;',
    'worker_processes 1;',
    'worker_rlimit_nofile 65536;',
    `pid ${join(dir, `${name}.pid`)};`,
    `error_log ${join(dir, `${name}.error.log`)} warn;`,
    'events { worker_connections 30000; }',
    'http {',
    '  access_log off;',
    ...['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((t) => `  ${t}_temp_path ${join(tmp, t)};`),
    '  default_type application/octet-stream;',
    '  sendfile on;',
    '  keepalive_requests 100000000;',
    '  keepalive_timeout 300s;',
  ]
    .filter((l) => l !== '')
    .join('\n')
}

/** The backend: `/16k` and `/1m` are static files, every other path answers 100 bytes from memory; HTTP and HTTPS. */
export function nginxBackendConf(b: BackendSpec, env: NginxEnv): string {
  return `${nginxMain('backend', b.dir, env, false)}
  open_file_cache max=64;
  server {
    listen 127.0.0.1:${b.port} backlog=4096;
    listen 127.0.0.1:${b.tlsPort} ssl backlog=4096;
    ssl_certificate ${b.cert};
    ssl_certificate_key ${b.key};
    ${TLS_PROTOCOLS}
    root ${b.www};
    location = /16k { }
    location = /1m { }
    location / { return 200 "${SMALL_BODY}"; }
  }
}
`
}

/** nginx as the reference proxy: `proxy_pass` with upstream keep-alive; `stream` for L4. */
export function nginxProxyConf(s: ProxySpec, env: NginxEnv): string {
  const upstreams = new Set([s.http?.upstream, s.https?.upstream].filter((u): u is number => u !== undefined))
  const location = (u: number, revision?: number) =>
    `location / { proxy_pass http://up_${u}; proxy_http_version 1.1; proxy_set_header Connection "";${revision === undefined ? '' : ` add_header x-bench-revision ${revision} always;`} }`
  const http = [
    ...[...upstreams].map((u) => `  upstream up_${u} { server 127.0.0.1:${u}; keepalive 64; keepalive_requests 100000000; keepalive_timeout 300s; }`),
    s.http ? `  server { listen 127.0.0.1:${s.http.port} backlog=4096; ${location(s.http.upstream, s.http.revision)} }` : '',
    s.https
      ? `  server { listen 127.0.0.1:${s.https.port} ssl backlog=4096; ${TLS_PROTOCOLS} ssl_certificate ${s.https.cert}; ssl_certificate_key ${s.https.key}; ${location(s.https.upstream)} }`
      : '',
  ]
  const stream = s.tlsPassthrough || s.tcp
  const streamBlock = stream
    ? [
        'stream {',
        s.tlsPassthrough
          ? `  upstream tls_up { server 127.0.0.1:${s.tlsPassthrough.upstream}; }
  map $ssl_preread_server_name $tls_backend { ${s.tlsPassthrough.sni} tls_up; default tls_none; }
  upstream tls_none { server 127.0.0.1:1; }
  server { listen 127.0.0.1:${s.tlsPassthrough.port} backlog=4096; ssl_preread on; proxy_pass $tls_backend; }`
          : '',
        s.tcp ? `  server { listen 127.0.0.1:${s.tcp.port} backlog=4096; proxy_pass 127.0.0.1:${s.tcp.upstream}; }` : '',
        '}',
      ]
    : []
  return [nginxMain('nginx', s.dir, env, !!stream), ...http, '}', ...streamBlock].filter((l) => l !== '').join('\n') + '\n'
}

/**
 * HAProxy's maxconn under an open-file limit: it reserves two descriptors per connection (client
 * and server side) and refuses to start when `2 × maxconn` plus its own exceed the limit.
 */
export function haproxyMaxconn(nofile: number): number {
  return Math.min(30_000, Math.floor((nofile - 100) / 2))
}

/**
 * HAProxy 2.x, one thread, `http-reuse always` (its equivalent of upstream keep-alive), under the
 * open-file limit `nofile` it runs with.
 */
export function haproxyConf(s: ProxySpec, nofile: number): string {
  const out = [
    'global',
    '  nbthread 1',
    `  maxconn ${haproxyMaxconn(nofile)}`,
    'defaults',
    '  timeout connect 5s',
    '  timeout client 300s',
    '  timeout server 300s',
    '  timeout http-keep-alive 300s',
  ]
  if (s.http || s.https) {
    const u = (s.http ?? s.https)!.upstream
    out.push('backend be_http', '  mode http', '  http-reuse always', `  server b1 127.0.0.1:${u}`)
  }
  if (s.http) out.push('frontend fe_http', '  mode http', `  bind 127.0.0.1:${s.http.port}`, '  default_backend be_http')
  if (s.https) out.push('frontend fe_https', '  mode http', `  bind 127.0.0.1:${s.https.port} ssl crt ${s.https.pem} alpn http/1.1`, '  default_backend be_http')
  if (s.tlsPassthrough)
    out.push(
      'frontend fe_tls',
      '  mode tcp',
      `  bind 127.0.0.1:${s.tlsPassthrough.port}`,
      '  tcp-request inspect-delay 5s',
      '  tcp-request content accept if { req.ssl_hello_type 1 }',
      `  use_backend be_tls if { req.ssl_sni -i ${s.tlsPassthrough.sni} }`,
      'backend be_tls',
      '  mode tcp',
      `  server b1 127.0.0.1:${s.tlsPassthrough.upstream}`,
    )
  if (s.tcp) out.push('frontend fe_tcp', '  mode tcp', `  bind 127.0.0.1:${s.tcp.port}`, '  default_backend be_tcp', 'backend be_tcp', '  mode tcp', `  server b1 127.0.0.1:${s.tcp.upstream}`)
  return out.join('\n') + '\n'
}

/** Caddy 2: `reverse_proxy`, no admin endpoint, no automatic HTTPS. */
export function caddyfile(s: ProxySpec): string {
  if (!s.http) throw new Error('the Caddy peer serves plain HTTP only')
  return `{
  admin off
  auto_https off
}
http://127.0.0.1:${s.http.port} {
  bind 127.0.0.1
  reverse_proxy 127.0.0.1:${s.http.upstream}
}
`
}
