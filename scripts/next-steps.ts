// Printed by `npm start` after the shop example validates: where a newcomer goes next.
process.stdout.write(`
That was \`switchyard validate examples/shop\`: the app model and the platform engineer's
environment, checked together. Try next:

  npx switchyard validate examples/tls-routing       # TLS passthrough and terminate, told apart by SNI
  npx switchyard validate examples/legacy-gateway    # Applications.Core/gateways with a certificate
  npx switchyard validate src/model/testdata/six-mistakes.in.yaml   # what errors look like
  npx switchyard validate examples/shop -o json      # the same, as data for tools
  npx switchyard --help

The README has a five-minute tour; docs/errors.md explains every error code.
`)
