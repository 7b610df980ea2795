import { Option } from 'commander'

/**
 * `-p, --parameters` for every command that reads app files: values for the parameters of .bicep
 * files, as `rad deploy -p` takes them. Repeatable; later values win.
 */
export function parametersOption(): Option {
  return new Option('-p, --parameters <param>', 'a parameter of the .bicep files: name=value, name=@value.json, or @params.json (an ARM parameters file or a plain object); repeatable')
    .argParser((value: string, previous: string[] | undefined) => [...(previous ?? []), value])
    .default([])
}
