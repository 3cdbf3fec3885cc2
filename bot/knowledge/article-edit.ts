import YAML from 'yaml';

/** Thrown when an article file cannot be edited safely (no front matter, or `questions` is not a list). */
export class ArticleEditError extends Error {}

const FRONT_MATTER = /^(---\r?\n)([\s\S]*?\r?\n)(---\r?\n?)([\s\S]*)$/;

/**
 * Adds a question to an article file's `questions:` list, editing the YAML front matter through the
 * `yaml` Document API so comments, key order and the body stay as the author wrote them.
 */
export function addQuestionToArticle(text: string, question: string): string {
  const match = FRONT_MATTER.exec(text);
  if (!match) throw new ArticleEditError('the article has no front matter');
  const [, open, source, close, body] = match;
  const doc = YAML.parseDocument(source!);
  if (doc.errors.length) throw new ArticleEditError(`the front matter is not valid YAML (${doc.errors[0]!.message.split('\n')[0]})`);
  const questions = doc.get('questions');
  if (!YAML.isSeq(questions)) throw new ArticleEditError('`questions` is not a list');
  questions.add(doc.createNode(question));
  return `${open}${doc.toString({ lineWidth: 0, flowCollectionPadding: false })}${close}${body}`;
}

/** A unified diff (one hunk with 3 lines of context) between two versions of a file, for `patch -p1` / `git apply`. */
export function unifiedDiff(file: string, before: string, after: string): string {
  const a = before.split('\n');
  const b = after.split('\n');
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) { endA--; endB--; }
  const from = Math.max(0, start - 3);
  const toA = Math.min(a.length, endA + 3);
  const toB = Math.min(b.length, endB + 3);
  const lines = [
    `--- a/${file}`,
    `+++ b/${file}`,
    `@@ -${from + 1},${toA - from} +${from + 1},${toB - from} @@`,
    ...a.slice(from, start).map((l) => ` ${l}`),
    ...a.slice(start, endA).map((l) => `-${l}`),
    ...b.slice(start, endB).map((l) => `+${l}`),
    ...a.slice(endA, toA).map((l) => ` ${l}`),
  ];
  return `${lines.join('\n')}\n`;
}
