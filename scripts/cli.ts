import path from 'node:path';
import { openKnowledgeBase, type KnowledgeBase } from '../bot/knowledge/knowledge-base.js';
import { KnowledgeError } from '../bot/knowledge/load.js';

/** Parsed command line: flags (--name value / --flag) and positional arguments. */
export interface Args {
  flags: Map<string, string | true>;
  positional: string[];
}

/** Parses argv; `valued` lists the flags that take a value. */
export function parseArgs(argv: string[], valued: string[] = []): Args {
  const flags = new Map<string, string | true>();
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') { positional.push(...argv.slice(i + 1)); break; }
    if (arg.startsWith('--')) {
      const [name, inline] = arg.slice(2).split('=', 2);
      if (inline !== undefined) flags.set(name, inline);
      else if (valued.includes(name) && i + 1 < argv.length) flags.set(name, argv[++i]);
      else flags.set(name, true);
    } else positional.push(arg);
  }
  return { flags, positional };
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
  Promise.resolve()
    .then(main)
    .catch((err) => {
      process.stderr.write(`${(err as Error).message}\n`);
      process.exit(1);
    });
}
