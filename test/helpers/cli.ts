import { spawn } from 'node:child_process';
import path from 'node:path';
import { nodeArgs } from './bundles.js';

/** How a command line ended. */
export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs `scripts/<script>` from the repository root (its bundle: see test/helpers/bundles.ts), with a bare environment
 * (PATH, HOME, the repository's knowledge, silent logs) plus `env`: nothing of the test process leaks in.
 */
export function runScript(script: string, args: string[], env: Record<string, string>): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...nodeArgs(`scripts/${script}`), ...args], {
      cwd: path.resolve('.'),
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', KNOWLEDGE_DIR: path.resolve('knowledge'), LOG_LEVEL: 'silent', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
