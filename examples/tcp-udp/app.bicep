// The Bicep twin of app.yaml. Layer-4 routes: a TCP route to a database and a UDP route to a DNS
// server. TCP and UDP routes take no matches and no hostnames: every connection (or datagram) on
// the listener goes through.
extension radius

resource app 'Applications.Core/applications@2023-10-01-preview' = {
  name: 'tcp-udp'
}

resource db 'Radius.Compute/containers@2025-08-01-preview' = {
  name: 'db'
  properties: {
    application: app.id
    container: {
      image: 'postgres:16'
      ports: {
        pg: { containerPort: 5432 }
      }
    }
  }
}

resource dns 'Radius.Compute/containers@2025-08-01-preview' = {
  name: 'dns'
  properties: {
    application: app.id
    container: {
      image: 'ghcr.io/example/dns:1.0'
      ports: {
        dns: { containerPort: 5353, protocol: 'UDP' }
      }
    }
  }
}

resource postgres 'Radius.Compute/routes@2025-08-01-preview' = {
  name: 'postgres'
  properties: {
    application: app.id
    kind: 'TCP'
    rules: [
      { destinationContainerId: db.id }
    ]
  }
}

resource dnsRoute 'Radius.Compute/routes@2025-08-01-preview' = {
  name: 'dns'
  properties: {
    application: app.id
    kind: 'UDP'
    rules: [
      { destinationContainerId: dns.id }
    ]
  }
}
