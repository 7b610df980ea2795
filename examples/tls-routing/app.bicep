// The Bicep twin of app.yaml: the Gateway API TLS routing guide. Traffic for foo.example.com is
// passed through, still encrypted, to foo-svc; traffic for bar.example.com is terminated at the
// gateway and sent on as plain TCP to bar-svc. env.yaml (the platform engineer's) decides
// passthrough or terminate per listener.
extension radius

@description('The domain both hostnames are under.')
param domain string = 'example.com'

var services = {
  foo: {
    image: 'ghcr.io/example/foo-tls:1.0'
    port: { tls: { containerPort: 8443 } }
  }
  bar: {
    image: 'ghcr.io/example/bar:1.0'
    port: { plain: { containerPort: 8080 } }
  }
}

resource app 'Applications.Core/applications@2023-10-01-preview' = {
  name: 'tls-routing'
}

resource fooSvc 'Radius.Compute/containers@2025-08-01-preview' = {
  name: 'foo-svc'
  properties: {
    application: app.id
    container: {
      image: services.foo.image
      ports: services.foo.port
    }
  }
}

resource barSvc 'Radius.Compute/containers@2025-08-01-preview' = {
  name: 'bar-svc'
  properties: {
    application: app.id
    container: {
      image: services.bar.image
      ports: services.bar.port
    }
  }
}

resource fooRoute 'Radius.Compute/routes@2025-08-01-preview' = {
  name: 'foo-route'
  properties: {
    application: app.id
    kind: 'TLS'
    hostnames: ['foo.${domain}']
    rules: [
      { destinationContainerId: fooSvc.id }
    ]
  }
}

resource barRoute 'Radius.Compute/routes@2025-08-01-preview' = {
  name: 'bar-route'
  properties: {
    application: app.id
    kind: 'TLS'
    hostnames: ['bar.${domain}']
    rules: [
      { destinationContainerId: barSvc.id }
    ]
  }
}
