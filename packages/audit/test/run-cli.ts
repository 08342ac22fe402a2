import { spawnSync, SpawnSyncReturns } from 'child_process';
import * as path from 'path';

/**
 * Runs `portcullis-audit` from its source, as a user's shell runs it: a process of its own, its
 * exit code and streams. Through sucrase's TypeScript-only hook, which starts in about a third of
 * ts-node's time (the CLI tests spawn it a few dozen times).
 */
export function runCli(args: string[]): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, ['-r', require.resolve('sucrase/register/ts'), path.join(__dirname, '..', 'src', 'cli.ts'), ...args], { encoding: 'utf8' });
}
