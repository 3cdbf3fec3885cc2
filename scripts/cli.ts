import path from 'node:path';
import { parseArgs as parseArgsUtil } from 'node:util';
import { openKnowledgeBase, type KnowledgeBase } from '../bot/knowledge/knowledge-base.js';
import { KnowledgeError } from '../bot/knowledge/load.js';

/** Parsed command line: flags (--name value / --flag) and positional arguments. */
export interface Args {
  flags: Map<string, string | true>;
  positional: string[];
}

/** Parses argv with node:util's parseArgs; `valued` lists the flags that take a value, any other flag is a switch. */
export function parseArgs(argv: string[], valued: string[] = []): Args {
  const { values, positionals } = parseArgsUtil({
    args: argv,
    options: Object.fromEntries(valued.map((name) => [name, { type: 'string' as const }])),
    strict: false,
    allowPositionals: true,
  });
  const flags = new Map<string, string | true>();
  for (const [name, value] of Object.entries(values)) if (typeof value === 'string' || value === true) flags.set(name, value);
  return { flags, positional: positionals };
}

/** The knowledge directory and serialized index file the CLI uses (KNOWLEDGE_DIR / DATA_DIR). */
export function knowledgePaths(): { knowledgeDir: string; indexFile: string } {
  const knowledgeDir = path.resolve(process.env.KNOWLEDGE_DIR || './knowledge');
  const indexFile = path.join(path.resolve(process.env.DATA_DIR || './data'), 'kb-index.json');
  return { knowledgeDir, indexFile };
}

/** Opens the knowledge base for a CLI command, or exits 1 with the problems listed. */
export function openKnowledgeOrExit(): KnowledgeBase {
  const { knowledgeDir, indexFile } = knowledgePaths();
  try {
    return openKnowledgeBase(knowledgeDir, indexFile).kb;
  } catch (err) {
    process.stderr.write(`${err instanceof KnowledgeError ? err.message : (err as Error).message}\n`);
    process.exit(1);
  }
}

/** Runs a CLI main function; prints the error and exits 1 on failure. */
export function runMain(main: () => Promise<void> | void): void {
  // A reader that stops early (`| head`) closes the pipe: that ends the output, it is not a failure of the command.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(0);
    throw err;
  });
  Promise.resolve()
    .then(main)
    .catch((err) => {
      process.stderr.write(`${(err as Error).message}\n`);
      process.exit(1);
    });
}
