// The file evaluates; the app model finds the problems, and each points into this file, at the
// expression that produced the value (through variables and parameters too).
extension radius

param kind string = 'HTTPS'

var ports = {
  web: {
    containerPort: 8080
    protocl: 'TCP'
  }
}

resource app 'Applications.Core/applications@2023-10-01-preview' = {
  name: 'shop'
}

resource web 'Radius.Compute/containers@2025-08-01-preview' = {
  name: 'web'
  properties: {
    application: app.id
    container: {
      image: 'web:1'
      ports: ports
    }
  }
}

resource ingress 'Radius.Compute/routes@2025-08-01-preview' = {
  name: 'ingress'
  properties: {
    application: app.id
    kind: kind
    rules: [
      {
        matches: [
          { path: 'no-slash' }
        ]
        destinationContainerId: '/planes/radius/local/resourceGroups/default/providers/Radius.Compute/containers/webb'
      }
    ]
  }
}
