import path from 'node:path';
import { expect } from 'chai';
import {
  articleFeatures,
  articleModelOf,
  articleProbabilities,
  articleWeightsText,
  fitArticleModel,
  learnedRanking,
  parseArticleWeights,
  NO_ARTICLE,
  type ArticleExample,
} from '../../bot/knowledge/article-model.js';
import { fitArticleModelsInParallel } from '../../bot/knowledge/article-fit-worker.js';
import { decide } from '../../bot/knowledge/decide.js';
import { buildKnowledgeBase, type KnowledgeBase } from '../../bot/knowledge/knowledge-base.js';
import { normalize } from '../../bot/knowledge/normalize.js';
import { buildSynonymMap } from '../../bot/knowledge/synonyms.js';
import type { SearchHit } from '../../bot/knowledge/search.js';

const noSynonyms = buildSynonymMap({});
const features = (text: string) => articleFeatures(normalize(text, noSynonyms));
const example = (text: string, article: string): ArticleExample => ({ features: features(text), article });
const hit = (id: string, score: number): SearchHit => ({ id, score, coverage: 1, similarity: 0, informative: { matched: 0, matchedWeight: 0, missedWeight: 0, unknown: 0 } });

describe('knowledge/article-model: the learned article ranking', () => {
  const examples = [
    example('order will not sign', 'orders'),
    example('cannot sign my order', 'orders'),
    example('sign button grey on the order', 'orders'),
    example('printer jammed', 'printing'),
    example('labels will not print', 'printing'),
    example('printer out of labels', 'printing'),
  ];

  it('fits the same models in worker threads as on this thread, in the order asked (kb:calibrate fits its folds so)', async function () {
    this.timeout(30_000);
    const jobs = [examples, examples.slice(1), examples.slice(0, 4)];
    const parallel = await fitArticleModelsInParallel(jobs, 2);
    expect(parallel.map((m) => [m.articles, m.bias, [...m.weights]])).to.deep.equal(jobs.map((j) => fitArticleModel(j)).map((m) => [m.articles, m.bias, [...m.weights]]));
  });

  it('learns which words point to which article, and gives probabilities that sum to 1', () => {
    const model = fitArticleModel(examples);
    expect(model.articles).to.deep.equal(['orders', 'printing']);
    const p = articleProbabilities(model, features('the order just will not sign'));
    expect([...p.values()].reduce((a, b) => a + b, 0)).to.be.closeTo(1, 1e-9);
    expect(p.get('orders')).to.be.greaterThan(0.8);
    expect(articleProbabilities(model, features('labels jammed in the printer')).get('printing')).to.be.greaterThan(0.8);
    // Words seen in one example only (minCount 2) are not features: such a message gets the intercepts alone.
    expect([...model.weights.keys()]).to.not.include('o:jam');
    expect(articleProbabilities(model, features('jammed'))).to.deep.equal(articleProbabilities(model, new Map()));
  });

  it('weighs a long story\'s scene words by the story factors', () => {
    const query = normalize('printer order', noSynonyms);
    const plain = articleFeatures(query);
    const focused = articleFeatures(query, [0.2, 1]);
    expect(focused.get('o:printer')! / focused.get('o:order')!).to.be.closeTo(0.2, 1e-9);
    expect(plain.get('o:printer')).to.equal(plain.get('o:order'));
    expect(plain.get('b:printer|order')).to.be.greaterThan(0);
  });

  it('re-ranks search hits by score × (p / best p), never below the floor, and keeps unknown articles as they are', () => {
    const model = fitArticleModel(examples);
    const view = learnedRanking(model, features('order will not sign'), [hit('printing', 10), hit('orders', 6), hit('elsewhere', 7)]);
    expect(view.hits.map((h) => h.id)).to.deep.equal(['elsewhere', 'orders', 'printing']);
    expect(view.hits.find((h) => h.id === 'orders')!.score).to.equal(6);
    expect(view.hits.find((h) => h.id === 'printing')!.score).to.be.at.least(10 * 0.1);
    expect(view.best).to.equal(view.probability.get('orders'));
  });

  it('learns what no article answers, and keeps that class out of the ranking', () => {
    const model = fitArticleModel([...examples, example('update the code status', NO_ARTICLE), example('change code status order', NO_ARTICLE), example('where is code status', NO_ARTICLE)]);
    const gap = learnedRanking(model, features('how do i change code status'), [hit('orders', 5), hit('printing', 4)]);
    expect(gap.none).to.be.greaterThan(0.5);
    expect(gap.best).to.be.lessThan(gap.none);
    expect([...gap.probability.keys()]).to.deep.equal(['orders', 'printing']);
    const known = learnedRanking(model, features('order will not sign'), [hit('orders', 5)]);
    expect(known.none).to.be.lessThan(0.2);
  });

  it('keeps its weights as text lines that read back the same (malformed pairs dropped); a model built from the text ranks as the fitted one', () => {
    const model = fitArticleModel(examples);
    const text = articleWeightsText(model);
    const back = parseArticleWeights(text, model.articles.length);
    expect([...back.entries()]).to.deep.equal([...model.weights.entries()].sort(([a], [b]) => (a < b ? -1 : 1)));
    expect(parseArticleWeights('o:x 0:1.5 7:2 1:abc :3 1\no:y\n', 2)).to.deep.equal(new Map([['o:x', [[0, 1.5]]]]));
    const lazy = articleModelOf(model.articles, model.bias, text);
    expect(articleProbabilities(lazy, features('cannot sign order')).get('orders')).to.be.closeTo(articleProbabilities(model, features('cannot sign order')).get('orders')!, 1e-3);
  });

  describe('in decide(), on the real knowledge base', () => {
    let kb: KnowledgeBase;
    before(() => {
      kb = buildKnowledgeBase(path.resolve('knowledge'));
    });

    it('is fitted and shipped in the calibration file', () => {
      expect(kb.policy.articleModel?.articles).to.include.members(kb.articles.map((a) => a.id));
      expect(kb.policy.articleModel?.weights.size).to.be.greaterThan(1000);
    });

    it('puts the problem before the drug: an order that will not sign is the order article, whatever the medication', () => {
      const q = 'my vancomycin order just sits there and will not sign';
      // Search alone: the drug name's class ("medication") outweighs "sign", and the MAR article is answered.
      const searchOnly = decide(kb, q, { role: 'physician', articleModel: false, calibrate: false });
      expect(searchOnly.hits[0].id).to.equal('med-not-on-mar');
      const d = decide(kb, q, { role: 'physician' });
      expect([d.outcome, d.articleId]).to.deep.equal(['answer', 'order-wont-sign']);
    });

    it('leaves a one-word question to the rules: "list" is still offered, not guessed', () => {
      const d = decide(kb, 'list');
      expect(d.outcome).to.equal('clarify');
      expect(d.signals).to.equal(undefined);
    });
  });
});
