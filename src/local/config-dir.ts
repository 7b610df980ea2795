import { homedir } from 'node:os'
import { join } from 'node:path'

/** The variable that moves Switchyard's per-user directory (tests point it at a temporary one). */
export const CONFIG_DIR_VARIABLE = 'SWITCHYARD_CONFIG_DIR'

/**
 * Where Switchyard keeps per-user state such as the local CA: `$SWITCHYARD_CONFIG_DIR`, else
 * `$XDG_CONFIG_HOME/switchyard` (XDG Base Directory Specification), else `~/.config/switchyard`.
 */
export function configDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env[CONFIG_DIR_VARIABLE]) return env[CONFIG_DIR_VARIABLE]
  const base = env.XDG_CONFIG_HOME && env.XDG_CONFIG_HOME.startsWith('/') ? env.XDG_CONFIG_HOME : join(homedir(), '.config')
  return join(base, 'switchyard')
}
