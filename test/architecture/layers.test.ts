import { expect } from 'chai';
import { layerOf, layerParts, layerViolations } from './layers.js';

describe('architecture: layers point down', () => {
  it('no module imports from a layer above its own, and side-by-side parts share only types', () => {
    expect(layerViolations()).to.deep.equal([]);
  });

  it('every part of bot/ belongs to a layer', () => {
    for (const part of layerParts()) expect(() => layerOf(part), part).to.not.throw();
  });
});
