// Valid Bicep outside the subset: each is refused where it is written, never guessed.
module net './net.bicep' = {
  name: 'net'
}

type port = int

func double(x int) int => x * 2

param config { name: string }

resource maybe 'Radius.Compute/routes@2025-08-01-preview' = if (true) {
  name: 'maybe'
}

resource many 'Radius.Compute/routes@2025-08-01-preview' = [for i in range(0, 2): {
  name: 'r${i}'
}]

var names = [for i in range(0, 3): 'n${i}']
var lambda = map([1, 2], x => x + 1)
var child = app::child.name

import { shared } from './shared.bicep'
