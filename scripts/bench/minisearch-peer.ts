/**
 * The peer engine: MiniSearch over the same articles and fields, with boosts like ours, fuzzy 0.2 and
 * prefix search, and a deliberately simple decision (answer when the top hit leads the runner-up by a
 * score ratio, else clarify). It tells us whether our lunr-based search is competitive in speed and accuracy.
 */
import lunr from 'lunr';
import MiniSearch from 'minisearch';
import type { Article, AskerRole } from '../../bot/knowledge/article.js';
import { FIELD_BOOSTS } from '../../bot/knowledge/index-builder.js';

/** Score ratio of top to runner-up above which the peer answers instead of clarifying. */
export const PEER_ANSWER_RATIO = 1.3;
/** Same role factor our search applies to articles written for another role. */
const OTHER_ROLE_FACTOR = 0.85;

interface PeerDoc {
  id: string;
  title: string;
  questions: string;
  tags: string;
  body: string;
  roles: string[];
}

/** What the peer decides for one question, in the shape the benchmark compares. */
export interface PeerDecision {
  outcome: 'answer' | 'clarify' | 'no-match';
  articleId: string | null;
  top: string | null;
}

/** A MiniSearch index over articles, with search and a simple decision. */
export class MiniSearchPeer {
  private readonly engine: MiniSearch<PeerDoc>;
  private readonly roles = new Map<string, string[]>();

  constructor(articles: Article[]) {
    this.engine = new MiniSearch<PeerDoc>({
      fields: ['title', 'questions', 'tags', 'body'],
      storeFields: [],
      // English stop words out, as lunr does; otherwise "i" and "my" prefix-match half the vocabulary.
      processTerm: (term) => {
        const t = term.toLowerCase();
        return (lunr.stopWordFilter(t as unknown as lunr.Token) as unknown) === undefined ? null : t;
      },
      searchOptions: { boost: { ...FIELD_BOOSTS }, fuzzy: 0.2, prefix: true, combineWith: 'OR' },
    });
    this.engine.addAll(
      articles.map((a) => {
        this.roles.set(a.id, a.roles);
        return {
          id: a.id,
          title: a.title,
          questions: a.questions.join(' \n '),
          tags: a.tags.join(' \n '),
          body: a.body.replace(/[#*_`>[\]()]/g, ' '),
          roles: a.roles,
        };
      }),
    );
  }

  /** Ranked article ids with scores; articles for another role score a little lower, as in ours. */
  search(text: string, role?: AskerRole): Array<{ id: string; score: number }> {
    const roleFactor = (id: string) => {
      const roles = this.roles.get(id) ?? [];
      return role && role !== 'other' && !roles.includes(role) && !roles.includes('everyone') ? OTHER_ROLE_FACTOR : 1;
    };
    return this.engine.search(text, { boostDocument: (id) => roleFactor(String(id)) }).slice(0, 5).map((r) => ({ id: String(r.id), score: r.score }));
  }

  /** Top hit answers when it leads the runner-up by PEER_ANSWER_RATIO; otherwise clarify; nothing found is no-match. */
  decide(text: string, role?: AskerRole): PeerDecision {
    const [top, second] = this.search(text, role);
    if (!top) return { outcome: 'no-match', articleId: null, top: null };
    if (!second || top.score / second.score >= PEER_ANSWER_RATIO) return { outcome: 'answer', articleId: top.id, top: top.id };
    return { outcome: 'clarify', articleId: null, top: top.id };
  }
}
