// The Routes design note's user story 2, exactly as the note writes it: `rules: ]` is a typo
// for `rules: [`, reported where it is.
resource myApp 'Applications.Core/applications@2023-10-01-preview' = { ... }

resource frontend 'Radius.Compute/containers@2025-08-01-preview' = { ... }
resource accounts 'Radius.Compute/containers@2025-08-01-preview' = { ... }

resource ingressRule 'Radius.Compute/routes@2025-08-01-preview' = {
  kind: 'HTTP'
  rules: ]
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
