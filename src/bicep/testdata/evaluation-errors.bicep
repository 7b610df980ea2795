// The file parses; these expressions cannot be evaluated. Each is reported once, where it is.
extension radius

var joined = 'a' + 'b'
var unknown = missing
var typo = toLowr('A')
var notYet = uniqueString('x')
var outOfRange = [1, 2][5]
var noSuchKey = { a: 1 }.b
var byZero = 1 / 0
var objectInString = 'ports: ${{ a: 1 }}'
var wrongArgs = length()
var dup = {
  name: 'a'
  Name: 'b'
}
var a = b
var b = a

resource app 'Applications.Core/applications@2023-10-01-preview' = {
  name: 'shop'
}

resource web 'Radius.Compute/containers@2025-08-01-preview' = {
  name: 'web'
  properties: {
    application: app
    container: {
      image: 'web:1'
      ports: { http: { containerPort: 80 } }
    }
    hosts: web.properties.container.image
  }
}

resource env 'Applications.Core/environments@2023-10-01-preview' existing = {
  name: 'default'
}

var envNamespace = env.properties.compute.namespace
var hostOfWeb = web.properties.container.hosts

@batchSize(2)
var decorated = 1

var nameOfNothing = nothing.name
var joined = 'declared twice'
