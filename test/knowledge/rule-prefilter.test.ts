import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import YAML from 'yaml';
import { prepare } from '../../bot/knowledge/intents.js';
import { loadPolicy } from '../../bot/knowledge/policy.js';
import { mayMatch, requiredLiterals } from '../../bot/knowledge/rule-prefilter.js';

describe('knowledge/rule-prefilter', () => {
  it('requires the longest plain run of a sequence, or every branch of an alternation', () => {
    expect(requiredLiterals(String.raw`\bhow much\b.{0,30}\b(?:mg|ml)\b`)).to.deep.equal(['how much']);
    expect(requiredLiterals(String.raw`\b(?:crush|split) it\b`)).to.deep.equal(['crush it', 'split it']);
    expect(requiredLiterals(String.raw`^(?:hi+|hello|hey)$`)).to.deep.equal(['h', 'hello', 'hey']);
    expect(requiredLiterals(String.raw`(?=.*\bpump\b).*\b(?:alarm|beep)`)).to.deep.equal(['pump']);
  });

  it('joins neighbouring parts that match only a few exact strings, so a short word is not all it asks for', () => {
    // "or" alone is in "order" and "for"; " or " is far rarer.
    expect(requiredLiterals(String.raw`\b(?:wet|dry)\b (?:or|vs\.?) (?:wet|dry)\b`)).to.deep.equal(['wet or wet', 'wet or dry', 'wet vs wet', 'wet vs dry', 'wet vs. wet', 'wet vs. dry', 'dry or wet', 'dry or dry', 'dry vs wet', 'dry vs dry', 'dry vs. wet', 'dry vs. dry']);
    expect(requiredLiterals(String.raw`\bwet[- ]to[- ]dry\b`)).to.deep.equal(['wet-to-dry', 'wet-to dry', 'wet to-dry', 'wet to dry']);
    expect(requiredLiterals(String.raw`\w+ (?:or|vs) \w+`)).to.deep.equal([' or ', ' vs ']);
    expect(mayMatch(requiredLiterals(String.raw`\w+ (?:or|vs) \w+`), 'the order for the floor')).to.equal(false);
  });

  it('requires nothing from optional, negated or unknown parts', () => {
    expect(requiredLiterals(String.raw`(?:stat)?\s+`)).to.equal(undefined);
    expect(requiredLiterals(String.raw`(?!no)[a-z]+`)).to.equal(undefined);
    expect(requiredLiterals(String.raw`\w+|abc`)).to.equal(undefined);
    expect(requiredLiterals('(unclosed')).to.equal(undefined);
  });

  it('lets a text through unless it contains none of the required strings', () => {
    expect(mayMatch(undefined, 'anything')).to.equal(true);
    expect(mayMatch(['mg', 'ml'], 'give 5 ml')).to.equal(true);
    expect(mayMatch(['mg', 'ml'], 'how do i print')).to.equal(false);
  });

  it('never hides a match of a shipped rule (every example and golden question, old test vs prefiltered)', () => {
    const policy = loadPolicy(path.resolve('knowledge/policy'));
    const golden = YAML.parse(fs.readFileSync(path.resolve('knowledge/eval/golden.yml'), 'utf8')) as Array<{ q: string }>;
    const questions = golden.map((g) => g.q);
    expect(questions.length).to.be.greaterThan(100);
    const rules = [...policy.rules.values()].flat();
    const texts = [...questions, ...rules.flatMap((r) => [...r.examples.match, ...r.examples.nomatch])].map(prepare);
    expect(rules.filter((r) => r.needs).length).to.be.greaterThan(rules.length / 2);
    const hidden: string[] = [];
    let skipped = 0;
    for (const rule of rules) {
      for (const text of texts) {
        if (mayMatch(rule.needs, text)) continue;
        skipped++;
        if (rule.regex.test(text)) hidden.push(`${rule.id}: ${text}`);
      }
    }
    expect(hidden).to.deep.equal([]);
    expect(skipped).to.be.greaterThan(0);
  });
});
