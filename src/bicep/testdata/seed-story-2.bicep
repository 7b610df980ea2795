// The Routes design note's user story 2 with its typo fixed (`rules: ]` → `rules: [`) and the
// closing brace the snippet stops before added. It parses; the problems left are the note's
// `{ ... }`, the bodies it leaves out.
resource myApp 'Applications.Core/applications@2023-10-01-preview' = { ... }

resource frontend 'Radius.Compute/containers@2025-08-01-preview' = { ... }
resource accounts 'Radius.Compute/containers@2025-08-01-preview' = { ... }

resource ingressRule 'Radius.Compute/routes@2025-08-01-preview' = {
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
