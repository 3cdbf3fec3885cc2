import fs from 'node:fs';
import { expect } from 'chai';
import dotenv from 'dotenv';
import { describeSettings, loadConfig } from '../../bot/config.js';
import { envExample, readmeWithTable, settingsTable } from '../../scripts/config-docs.js';

describe('settings documented once (bot/config.ts -> .env.example, README)', () => {
  it('.env.example is the one generated from the schema (run npm run config:docs after changing a setting)', () => {
    expect(fs.readFileSync('.env.example', 'utf8')).to.equal(envExample());
  });

  it("the README's settings table is the one generated from the schema", () => {
    const readme = fs.readFileSync('README.md', 'utf8');
    expect(readme).to.equal(readmeWithTable(readme));
    for (const s of describeSettings()) expect(settingsTable()).to.include(`| \`${s.name}\` |`);
  });

  it('every setting has a section and a description, and .env.example as shipped is a valid configuration', () => {
    for (const s of describeSettings()) expect(s.description.length, s.name).to.be.greaterThan(5);
    const parsed = dotenv.parse(fs.readFileSync('.env.example'));
    expect(() => loadConfig(parsed)).to.not.throw();
  });

  it('a drifted .env.example is detected', () => {
    expect(envExample().replace('PORT=3978', 'PORT=80')).to.not.equal(envExample());
  });
});
