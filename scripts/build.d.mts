// Types of scripts/build.mjs for the TypeScript that imports it (the test bundles of test/helpers/bundles.ts).
export const ROOT: string;
export const SOURCE: string;
export const OUT: string;
export const STAMP: string;
export const EXTERNAL: string[];
export const BANNER: string;
export function listFiles(dir: string): string[];
export function build(): Promise<number>;
