// Generates media/icon.png (128x128 RGBA): a rounded dark square with a white "[m]" glyph.
// Dependency-free: shapes are rasterised via signed distances (anti-aliased), encoded by png.mjs.
// Usage: node scripts/make-icon.mjs [outFile]
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { encodePng } from './png.mjs';

const SIZE = 128;
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = process.argv[2] ?? join(root, 'media', 'icon.png');

const BG = [0x1f, 0x25, 0x33]; // dark slate
const FG = [0xff, 0xff, 0xff];

// Glyph geometry in the same 24-unit space as media/matrix.svg, mapped into the icon.
const GLYPH_SCALE = 4; // 24 units -> 96 px
const GLYPH_OFFSET = (SIZE - 24 * GLYPH_SCALE) / 2;
const STROKE = 2.2 * GLYPH_SCALE;
const tx = (v) => GLYPH_OFFSET + v * GLYPH_SCALE;

/** @typedef {{ kind: 'seg', a: number[], b: number[] } | { kind: 'arc', c: number[], r: number }} Shape */
/** @type {Shape[]} */
const shapes = [];
const seg = (x1, y1, x2, y2) => shapes.push({ kind: 'seg', a: [tx(x1), tx(y1)], b: [tx(x2), tx(y2)] });
const upperArc = (cx, cy, r) => shapes.push({ kind: 'arc', c: [tx(cx), tx(cy)], r: r * GLYPH_SCALE });

// "[" and "]"
seg(5, 3, 2, 3);
seg(2, 3, 2, 21);
seg(2, 21, 5, 21);
seg(19, 3, 22, 3);
seg(22, 3, 22, 21);
seg(22, 21, 19, 21);
// "m": stem, two humps, two legs
seg(7, 9.5, 7, 16);
upperArc(9.5, 11, 2.5);
seg(12, 11, 12, 16);
upperArc(14.5, 11, 2.5);
seg(17, 11, 17, 16);

function distSeg(px, py, [ax, ay], [bx, by]) {
  const dx = bx - ax;
  const dy = by - ay;
  const len2 = dx * dx + dy * dy;
  const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / len2));
  return Math.hypot(px - (ax + t * dx), py - (ay + t * dy));
}

function distUpperArc(px, py, [cx, cy], r) {
  if (py <= cy) return Math.abs(Math.hypot(px - cx, py - cy) - r);
  return Math.min(Math.hypot(px - (cx - r), py - cy), Math.hypot(px - (cx + r), py - cy));
}

function glyphCoverage(px, py) {
  let d = Infinity;
  for (const s of shapes) {
    d = Math.min(d, s.kind === 'seg' ? distSeg(px, py, s.a, s.b) : distUpperArc(px, py, s.c, s.r));
  }
  return clamp01(STROKE / 2 - d + 0.5);
}

function squareCoverage(px, py) {
  const radius = 24;
  const half = SIZE / 2 - 1;
  const qx = Math.abs(px - SIZE / 2) - (half - radius);
  const qy = Math.abs(py - SIZE / 2) - (half - radius);
  const outside = Math.hypot(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0) - radius;
  return clamp01(0.5 - outside);
}

function clamp01(v) {
  return v < 0 ? 0 : v > 1 ? 1 : v;
}

const raw = Buffer.alloc(SIZE * (SIZE * 4 + 1));
for (let y = 0; y < SIZE; y++) {
  const row = y * (SIZE * 4 + 1);
  raw[row] = 0; // filter: none
  for (let x = 0; x < SIZE; x++) {
    const px = x + 0.5;
    const py = y + 0.5;
    const alpha = squareCoverage(px, py);
    const g = glyphCoverage(px, py);
    const i = row + 1 + x * 4;
    for (let c = 0; c < 3; c++) raw[i + c] = Math.round(BG[c] * (1 - g) + FG[c] * g);
    raw[i + 3] = Math.round(alpha * 255);
  }
}

const png = encodePng({ width: SIZE, height: SIZE, channels: 4, raw });
writeFileSync(out, png);
console.log(`wrote ${out} (${SIZE}x${SIZE}, ${png.length} bytes)`);
