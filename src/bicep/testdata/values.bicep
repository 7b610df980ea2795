// A valid file using the subset: strings, escapes, multi-line strings, interpolation, operators,
// functions, variables that refer ahead, existing resources, spreads, comments.
extension radius

/* A block comment,
   over two lines. */
@description('The app name.')
@minLength(3)
param appName string = 'shop'

@allowed([
  'dev'
  'prod'
])
param stage string = 'dev'

param replicas int = 2
param tags object = { team: 'web' }
param hosts string[] = ['shop.localtest.me']

var image = '${registry}/frontend:${tag}' // refers ahead
var registry = 'ghcr.io/example'
var tag = stage == 'prod' ? '1.0' : '1.0-${stage}'
var script = '''
echo "it's ${not interpolated}"
'''
var escapes = 'it\'s \$5 \u{1F680} tab\there'
var common = {
  application: app.id
}

resource env 'Applications.Core/environments@2023-10-01-preview' existing = {
  name: 'default'
}

resource app 'Applications.Core/applications@2023-10-01-preview' = {
  name: appName
  properties: {
    environment: env.id
  }
}

resource web 'Radius.Compute/containers@2025-08-01-preview' = {
  name: 'web'
  properties: {
    ...common
    container: {
      image: image
      ports: {
        http: { containerPort: 8000 + replicas * 40, protocol: toUpper('tcp') }
      }
      env: {
        SCRIPT: { value: script }
        ESCAPES: { value: escapes }
        TEAM: { value: tags.team }
        REPLICAS: { value: string(replicas) }
        FLAGS: { value: string([stage == 'dev', replicas > 1 && !empty(hosts), 7 % 4 == 3]) }
        JOINED: { value: join(concat(hosts, ['b', 'c']), ',') }
        FORMATTED: { value: format('{0}-{1}-{{x}}', appName, replicas) }
        ENCODED: { value: base64('shop') }
        MISSING: { value: tags.?owner ?? 'nobody' }
        SPLIT: { value: split('a/b/c', '/')[1] }
        CASE: { value: 'SHOP' =~ appName ? 'same' : 'different' }
        NOTE: { value: loadTextContent('note.txt') }
      }
    }
  }
}

output url string = 'http://${hosts[0]}'
