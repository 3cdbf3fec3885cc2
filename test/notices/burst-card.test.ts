import { expect } from 'chai';
import { burstCard } from '../../bot/notices/alert-delivery.js';
import { assertValidCard } from '../helpers/card-schema.js';

describe('burst support-channel card', () => {
  it('is a valid Adaptive Card naming the article, with "Post a notice" prefilled', () => {
    const card = burstCard(
      {
        id: 7,
        kind: 'burst',
        key: 'barcode-scan-failed',
        createdAt: new Date('2026-11-30T09:05:00Z'),
        endedAt: null,
        payload: { type: 'burst', articleId: 'barcode-scan-failed', title: "Barcode scanner won't read", users: 6, since: '2026-11-30T09:00:00.000Z', sampleQuestions: ['scanner wont read the wristband'] },
      },
      'https://elbow.example.org',
    );
    assertValidCard(card, 'burst card');
    expect(JSON.stringify(card.body)).to.contain('6 clinicians').and.to.contain("Barcode scanner won't read").and.to.contain('09:00 UTC');
    const post = card.actions!.find((a) => a.title === 'Post a notice') as unknown as { url: string };
    const url = new URL(post.url);
    expect(url.pathname).to.equal('/admin/notices');
    expect(url.searchParams.get('articles')).to.equal('barcode-scan-failed');
    expect(url.searchParams.get('title')).to.equal("Known issue: Barcode scanner won't read");
  });
});
