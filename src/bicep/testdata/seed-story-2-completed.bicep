// The Routes design note's user story 2 with the bodies it leaves out written in, and the route's
// fields under `properties` where the Radius.Compute/routes schema has them. `matches` stays an
// object, as the note writes it: it is read as a list of one match, with a warning.
resource myApp 'Applications.Core/applications@2023-10-01-preview' = {
  name: 'my-app'
}

resource frontend 'Radius.Compute/containers@2025-08-01-preview' = {
  name: 'frontend'
  properties: {
    application: myApp.id
    container: {
      image: 'frontend:latest'
      ports: {
        web: {
          containerPort: 8080
        }
      }
    }
  }
}
resource accounts 'Radius.Compute/containers@2025-08-01-preview' = {
  name: 'accounts'
  properties: {
    application: myApp.id
    container: {
      image: 'accounts:latest'
      ports: {
        web: {
          containerPort: 8081
        }
      }
    }
  }
}

resource ingressRule 'Radius.Compute/routes@2025-08-01-preview' = {
  name: 'ingress-rule'
  properties: {
    application: myApp.id
    kind: 'HTTP'
    rules: [
      {
        matches: {
          path: '/'
        }
        destinationContainerId: frontend.id
      }
      {
        matches: {
          path: '/accounts'
        }
        destinationContainerId: accounts.id
      }
    ]
  }
}
