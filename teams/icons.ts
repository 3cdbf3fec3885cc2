import type { RgbaImage } from './png.js';

type Point = readonly [number, number];
type Shape = (x: number, y: number) => boolean;

/** Teams wants a 192x192 full-colour icon and a 32x32 white-on-transparent outline icon. */
export const COLOR_ICON_SIZE = 192;
export const OUTLINE_ICON_SIZE = 32;

function distanceToSegment([px, py]: Point, [ax, ay]: Point, [bx, by]: Point): number {
  const dx = bx - ax;
  const dy = by - ay;
  const t = Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(px - (ax + t * dx), py - (ay + t * dy));
}

// The Elbow glyph in a unit box: an arm bent at the elbow (two round-capped strokes) and a "help" dot.
const SHOULDER: Point = [0.15, 0.15];
const ELBOW: Point = [0.15, 0.85];
const HAND: Point = [0.85, 0.85];
const STROKE_HALF_WIDTH = 0.13;
const DOT: Point = [0.72, 0.3];
const DOT_RADIUS = 0.17;

const glyph: Shape = (x, y) =>
  distanceToSegment([x, y], SHOULDER, ELBOW) <= STROKE_HALF_WIDTH ||
  distanceToSegment([x, y], ELBOW, HAND) <= STROKE_HALF_WIDTH ||
  Math.hypot(x - DOT[0], y - DOT[1]) <= DOT_RADIUS;

/** The glyph placed in the square [from, to] of the icon's unit box. */
function placed(shape: Shape, from: number, to: number): Shape {
  const scale = to - from;
  return (x, y) => shape((x - from) / scale, (y - from) / scale);
}

/** A square over the whole unit box with corners rounded by `radius`. */
function roundedSquare(radius: number): Shape {
  return (x, y) => {
    const qx = Math.max(Math.abs(x - 0.5) - (0.5 - radius), 0);
    const qy = Math.max(Math.abs(y - 0.5) - (0.5 - radius), 0);
    return Math.hypot(qx, qy) <= radius;
  };
}

/** Fraction of each pixel inside `shape`, from an n x n grid of samples per pixel (anti-aliasing). */
function coverage(size: number, shape: Shape, n = 4): Float32Array {
  const result = new Float32Array(size * size);
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let hits = 0;
      for (let sy = 0; sy < n; sy++) {
        for (let sx = 0; sx < n; sx++) if (shape((px + (sx + 0.5) / n) / size, (py + (sy + 0.5) / n) / size)) hits++;
      }
      result[py * size + px] = hits / (n * n);
    }
  }
  return result;
}

function parseHexColor(hex: string): [number, number, number] {
  const match = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  if (!match) throw new Error(`not a #rrggbb colour: ${hex}`);
  return [parseInt(match[1], 16), parseInt(match[2], 16), parseInt(match[3], 16)];
}

/** The 192x192 colour icon: a rounded square in `accentColor` with the white glyph inside Teams' 96x96 safe area. */
export function colorIcon(accentColor: string): RgbaImage {
  const size = COLOR_ICON_SIZE;
  const [r, g, b] = parseHexColor(accentColor);
  const background = coverage(size, roundedSquare(0.2));
  const mark = coverage(size, placed(glyph, 0.25, 0.75));
  const pixels = new Uint8Array(size * size * 4);
  for (let i = 0; i < size * size; i++) {
    const white = mark[i];
    pixels.set([r + (255 - r) * white, g + (255 - g) * white, b + (255 - b) * white, 255 * background[i]].map(Math.round), i * 4);
  }
  return { width: size, height: size, pixels };
}

/** The 32x32 outline icon: the glyph in pure white, everything else fully transparent (only alpha varies). */
export function outlineIcon(): RgbaImage {
  const size = OUTLINE_ICON_SIZE;
  const mark = coverage(size, placed(glyph, 0.1, 0.9));
  const pixels = new Uint8Array(size * size * 4);
  for (let i = 0; i < size * size; i++) pixels.set([255, 255, 255, Math.round(255 * mark[i])], i * 4);
  return { width: size, height: size, pixels };
}
