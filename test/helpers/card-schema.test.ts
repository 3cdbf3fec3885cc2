import { AssertionError, expect } from 'chai';
import { assertValidCard, validateCard } from './card-schema.js';

/** A card using most of what Adaptive Cards 1.5 offers, as Teams would receive it. */
function sampleCard(): Record<string, unknown> {
  return {
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: '1.5',
    msteams: { width: 'Full' },
    body: [
      { type: 'TextBlock', text: 'My patient list is missing patients', size: 'Large', weight: 'Bolder', wrap: true, style: 'heading' },
      {
        type: 'Container',
        style: 'attention',
        items: [{ type: 'TextBlock', text: '**Urgent?** Call the help desk.', wrap: true }],
        selectAction: { type: 'Action.OpenUrl', url: 'https://elbow.example.org/kb/x' },
      },
      {
        type: 'ColumnSet',
        columns: [
          { type: 'Column', width: 'auto', items: [{ type: 'Image', url: 'https://elbow.example.org/i.png', size: 'Small', altText: 'icon' }] },
          { type: 'Column', width: 'stretch', items: [{ type: 'TextBlock', text: 'Steps', isSubtle: true }] },
        ],
      },
      { type: 'FactSet', facts: [{ title: 'Queue', value: 'clinical-apps' }] },
      { type: 'RichTextBlock', inlines: ['plain ', { type: 'TextRun', text: 'bold', weight: 'Bolder' }] },
      {
        type: 'Table',
        columns: [{ width: 1 }, { width: 2 }],
        rows: [{ type: 'TableRow', cells: [{ type: 'TableCell', items: [{ type: 'TextBlock', text: 'a' }] }, { type: 'TableCell', items: [] }] }],
      },
      { type: 'Input.Text', id: 'details', label: 'What happened?', isMultiline: true },
      { type: 'Input.ChoiceSet', id: 'role', label: 'Role', choices: [{ title: 'Nurse', value: 'nurse' }], style: 'expanded' },
      { type: 'TextBlock', id: 'more', text: 'More', isVisible: false },
      { type: 'ActionSet', actions: [{ type: 'Action.ToggleVisibility', title: 'More', targetElements: ['more'] }] },
    ],
    actions: [
      { type: 'Action.Submit', title: 'Solved', style: 'positive', data: { action: 'feedback', value: 'solved' } },
      { type: 'Action.Execute', title: 'Refresh', verb: 'refresh' },
      { type: 'Action.OpenUrl', title: 'Open full article', url: 'https://elbow.example.org/kb/patient-list-incomplete' },
      { type: 'Action.ShowCard', title: 'Details', card: { type: 'AdaptiveCard', body: [{ type: 'TextBlock', text: 'inside' }] } },
    ],
  };
}

/** The sample card with one change applied. */
function sampleWith(change: (card: any) => void): Record<string, unknown> {
  const card = sampleCard();
  change(card);
  return card;
}

describe('validateCard (Adaptive Card 1.5)', () => {
  it('accepts a valid 1.5 card with containers, columns, facts, rich text, a table, inputs and every action type', () => {
    expect(validateCard(sampleCard())).to.deep.equal([]);
    expect(() => assertValidCard(sampleCard())).to.not.throw();
  });

  it('accepts lower-case enum values, as the official schema does', () => {
    expect(validateCard(sampleWith((c) => (c.body[0].size = 'large')))).to.deep.equal([]);
  });

  it('rejects an unknown element type, also nested inside a column', () => {
    expect(validateCard(sampleWith((c) => c.body.push({ type: 'Carousel', pages: [] }))).join('\n')).to.match(/body\[10\]: unknown element type "Carousel"/);
    const nested = validateCard(sampleWith((c) => c.body[2].columns[0].items.push({ type: 'Frobnicator' })));
    expect(nested.join('\n')).to.match(/body\[2\]\.columns\[0\]\.items\[1\]: unknown element type "Frobnicator"/);
  });

  it('rejects a TextBlock without text', () => {
    expect(validateCard(sampleWith((c) => delete c.body[0].text))).to.include('body[0].text: is required (string)');
    expect(validateCard(sampleWith((c) => (c.body[1].items[0].text = 42))).join('\n')).to.match(/body\[1\]\.items\[0\]\.text: /);
  });

  it('rejects any version but 1.5 on the card, and a missing one', () => {
    for (const version of ['1.6', '1.4', '2.0', 1.5, undefined]) {
      expect(validateCard(sampleWith((c) => (c.version = version))).join('\n'), String(version)).to.match(/^version: must be "1\.5"/m);
    }
  });

  it('rejects Action.OpenUrl without url, in the actions and as a selectAction', () => {
    expect(validateCard(sampleWith((c) => delete c.actions[2].url)).join('\n')).to.match(/actions\[2\]\.url: is required/);
    expect(validateCard(sampleWith((c) => delete c.body[1].selectAction.url)).join('\n')).to.match(/body\[1\]\.selectAction\.url: is required/);
  });

  it('rejects other broken parts: action types, enum values, inputs, facts, ShowCard content, selectAction ShowCard', () => {
    const cases: Array<[(c: any) => void, RegExp]> = [
      [(c) => c.actions.push({ type: 'Action.Http', title: 'x' }), /actions\[4\]: unknown action type "Action.Http"/],
      [(c) => (c.body[0].weight = 'Heaviest'), /body\[0\]\.weight: must be one of Default, Lighter, Bolder/],
      [(c) => delete c.body[6].id, /body\[6\]\.id: is required/],
      [(c) => delete c.body[3].facts[0].value, /body\[3\]\.facts\[0\]\.value: is required/],
      [(c) => (c.actions[3].card.body[0] = { type: 'TextBlock' }), /actions\[3\]\.card\.body\[0\]\.text: is required/],
      [(c) => (c.body[1].selectAction = { type: 'Action.ShowCard', card: { type: 'AdaptiveCard' } }), /body\[1\]\.selectAction: Action.ShowCard is not allowed here/],
      [(c) => (c.type = 'MessageCard'), /type: Invalid input: expected "AdaptiveCard"/],
      [(c) => delete c.body, /body: is required/],
      [(c) => c.body.push({ type: 'Action.Submit', title: 'in the body' }), /body\[10\]: unknown element type "Action.Submit"/],
    ];
    for (const [change, expected] of cases) expect(validateCard(sampleWith(change)).join('\n')).to.match(expected);
  });

  it('reports what the adaptivecards renderer library finds, such as duplicate ids', () => {
    const errors = validateCard(sampleWith((c) => c.body.push({ type: 'TextBlock', id: 'more', text: 'again' })));
    expect(errors.join('\n')).to.match(/adaptivecards: DuplicateId: .*"more"/);
  });

  it('rejects things that are not cards at all', () => {
    for (const value of [null, 'card', 42, [], undefined]) expect(validateCard(value), String(value)).to.not.be.empty;
  });

  it('assertValidCard fails with the list of problems', () => {
    expect(() => assertValidCard(sampleWith((c) => delete c.body[0].text), 'answer card'))
      .to.throw(AssertionError)
      .with.property('message')
      .that.includes('answer card is not a valid Adaptive Card 1.5')
      .and.includes('body[0].text: is required');
  });
});
