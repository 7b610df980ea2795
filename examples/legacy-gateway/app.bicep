// The Bicep twin of app.yaml: the Radius networking overview with the legacy resources.
// - `public` terminates TLS with a certificate from a secret store and routes by path;
// - `secure` passes encrypted traffic straight through to a container that terminates it itself
//   (sslPassthrough: one route, no path).
// The certificate comes from an existing Kubernetes secret (`resource`), as the Radius docs show.
import radius as radius

resource legacy 'Applications.Core/applications@2023-10-01-preview' = {
  name: 'legacy'
}

resource frontend 'Applications.Core/containers@2023-10-01-preview' = {
  name: 'frontend'
  properties: {
    application: legacy.id
    container: {
      image: 'ghcr.io/example/frontend:1.0'
      ports: {
        web: { containerPort: 3000, port: 80 }
      }
    }
    connections: {
      backend: { source: 'http://backend:8080' }
    }
  }
}

resource backend 'Applications.Core/containers@2023-10-01-preview' = {
  name: 'backend'
  properties: {
    application: legacy.id
    container: {
      image: 'ghcr.io/example/backend:1.0'
      ports: {
        api: { containerPort: 8080 }
      }
    }
  }
}

resource vault 'Applications.Core/containers@2023-10-01-preview' = {
  name: 'vault'
  properties: {
    application: legacy.id
    container: {
      image: 'ghcr.io/example/vault:1.0'
      ports: {
        tls: { containerPort: 8443, port: 443, scheme: 'https' }
      }
    }
  }
}

resource publicTls 'Applications.Core/secretStores@2023-10-01-preview' = {
  name: 'public-tls'
  properties: {
    application: legacy.id
    type: 'certificate'
    resource: 'default/public-tls'
    data: {
      'tls.crt': {}
      'tls.key': {}
    }
  }
}

var backendUrl = 'http://${backend.name}:${backend.properties.container.ports.api.containerPort}'

resource public 'Applications.Core/gateways@2023-10-01-preview' = {
  name: 'public'
  properties: {
    application: legacy.id
    hostname: {
      fullyQualifiedHostname: 'public.localtest.me'
    }
    tls: {
      certificateFrom: publicTls.id
      minimumProtocolVersion: '1.2'
    }
    routes: [
      {
        path: '/'
        destination: 'http://${frontend.name}:${frontend.properties.container.ports.web.port}'
      }
      {
        path: '/api'
        destination: backendUrl
        replacePrefix: '/'
        timeoutPolicy: { request: '30s', backendRequest: '10s' }
      }
      {
        path: '/live'
        destination: backendUrl
        enableWebsockets: true
      }
    ]
  }
}

resource secure 'Applications.Core/gateways@2023-10-01-preview' = {
  name: 'secure'
  properties: {
    application: legacy.id
    hostname: {
      fullyQualifiedHostname: 'vault.localtest.me'
    }
    tls: {
      sslPassthrough: true
    }
    routes: [
      { destination: 'https://vault:443' }
    ]
  }
}
