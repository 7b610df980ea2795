// The Routes design note's user story 1 with the application's body the note leaves out
// (`{ ... }`) written in. Everything else is as the note writes it; it validates.
resource myApp 'Applications.Core/applications@2023-10-01-preview' = {
  name: 'myApp'
}

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
