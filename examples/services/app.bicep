// The Bicep twin of app.yaml: the Routes design note's user story 1, two services that talk to
// each other. No routes: each container exposes a port, so each gets a ClusterIP Service, and
// svcA reaches svcB through its connection (CONNECTION_SVCB_* environment variables).
extension radius

@description('The port both services listen on.')
param port int = 8080

resource myApp 'Applications.Core/applications@2023-10-01-preview' = {
  name: 'my-app'
}

resource svcA 'Radius.Compute/containers@2025-08-01-preview' = {
  name: 'svcA'
  properties: {
    application: myApp.id
    container: {
      image: 'svcA:latest'
      ports: {
        web: {
          containerPort: port
        }
      }
    }
    connections: {
      // Kubernetes Service names are lower case.
      svcb: {
        source: 'http://${toLower(svcB.name)}:${port}'
      }
    }
  }
}

resource svcB 'Radius.Compute/containers@2025-08-01-preview' = {
  name: 'svcB'
  properties: {
    application: myApp.id
    container: {
      image: 'svcB:latest'
      ports: {
        web: {
          containerPort: port
        }
      }
    }
  }
}
