// The Routes design note's user story 1, as the note writes it (seeds: "Routes Resource Type
// Definition", Developer Experience). Nothing changed: it parses, and the one problem is the
// note's `{ ... }`, which stands for the application's body the note leaves out.
resource myApp 'Applications.Core/applications@2023-10-01-preview' = { ... }

resource svcA 'Radius.Compute/containers@2025-08-01-preview' = {
  name: 'svcA'
  properties: {
    application: myApp.id
    container: {
      image: 'svcA:latest'
      ports: {
        web: {
          containerPort: 8080
        }
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
          containerPort: 8080
        }
      }
    }
  }
}
