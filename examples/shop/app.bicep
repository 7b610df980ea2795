// The Bicep twin of app.yaml: the Routes design note's user story 2, with the bodies the note
// leaves out written in. A frontend and an accounts service behind one HTTP route: `/` goes to
// the frontend; GET /accounts for tenant "a" asking for API version 2 goes to accounts.
//
//   switchyard validate examples/shop/app.bicep examples/shop/env.yaml
//   switchyard render examples/shop/app.bicep examples/shop/env.yaml --target kubernetes -p frontendPort=9090
extension radius

@description('The port the frontend listens on.')
@minValue(1)
@maxValue(65535)
param frontendPort int = 8080

@description('The tag of both images.')
param version string = '1.0'

var registry = 'ghcr.io/example'

resource shop 'Applications.Core/applications@2023-10-01-preview' = {
  name: 'shop'
}

resource frontend 'Radius.Compute/containers@2025-08-01-preview' = {
  name: 'frontend'
  properties: {
    application: shop.id
    container: {
      image: '${registry}/frontend:${version}'
      ports: {
        web: {
          containerPort: frontendPort
        }
      }
    }
    connections: {
      accounts: {
        // The accounts service by its in-app host name and port.
        source: 'http://${accounts.name}:${accounts.properties.container.ports.api.containerPort}'
      }
    }
  }
}

resource accounts 'Radius.Compute/containers@2025-08-01-preview' = {
  name: 'accounts'
  properties: {
    application: shop.id
    container: {
      image: '${registry}/accounts:${version}'
      ports: {
        api: {
          containerPort: 8081
        }
      }
    }
  }
}

resource ingress 'Radius.Compute/routes@2025-08-01-preview' = {
  name: 'ingress'
  properties: {
    application: shop.id
    kind: 'HTTP'
    rules: [
      {
        matches: [
          {
            path: '/'
          }
        ]
        destinationContainerId: frontend.id
      }
      {
        matches: [
          {
            path: '/accounts'
            httpMethod: 'GET'
            httpHeaders: [
              { name: 'x-tenant', value: 'a' }
            ]
            queryParams: [
              { name: 'v', value: '2' }
            ]
          }
        ]
        destinationContainerId: accounts.id
      }
    ]
  }
}
