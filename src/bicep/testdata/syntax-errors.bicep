// One syntax error per declaration: each is reported at its line:col, and reading goes on with
// the next declaration.
extension radius

param port int = 80 80

var unterminated = 'no closing quote
var badEscape = 'tab\q'
var doubleQuoted = "hello"

resource app 'Applications.Core/applications@2023-10-01-preview' = {
  name: 'shop'
  properties {
    environment: 'x'
  }
}

resource noVersion 'Radius.Compute/containers' = {
  name: 'web'
}

var twoOnALine = { a: 1 b: 2 }
var missingValue = [1, , 2]
var hole = 'a${port'

resource missingBrace 'Radius.Compute/routes@2025-08-01-preview' = {
  name: 'r'
  properties: {
    rules: []

var afterTheMissingBrace = 'read as a property, where the brace is missed'
@secure
param secret string
var comment = 1 /* never closed
