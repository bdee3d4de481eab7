import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../paths';
import { encodePng, type RgbaImage } from './png';

/**
 * Draws the Teams app icons (a phone with a padlock; the outline icon is a white
 * padlock on transparent) so they can be regenerated without an image editor:
 * `node dist/src/tools/drawIcons.js` writes appPackage/color.png and outline.png.
 */
export const ACCENT = { hex: '#0F6CBD', rgb: [0x0f, 0x6c, 0xbd] as const };
const WHITE = [255, 255, 255] as const;

type Rgb = readonly [number, number, number];
/** A layer paints `color` wherever `inside(x, y)` holds, x and y in 0..1. */
interface Layer {
  color: Rgb | 'transparent';
  inside: (x: number, y: number) => boolean;
}

const roundedRect =
  (x0: number, y0: number, x1: number, y1: number, r: number) =>
  (x: number, y: number): boolean => {
    if (x < x0 || x > x1 || y < y0 || y > y1) return false;
    const dx = Math.max(x0 + r - x, 0, x - (x1 - r));
    const dy = Math.max(y0 + r - y, 0, y - (y1 - r));
    return dx * dx + dy * dy <= r * r;
  };
const circle =
  (cx: number, cy: number, r: number) =>
  (x: number, y: number): boolean =>
    (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
/** The upper half of a ring, plus straight legs down to `legEnd`: a padlock shackle. */
const shackle =
  (cx: number, cy: number, outer: number, inner: number, legEnd: number) =>
  (x: number, y: number): boolean => {
    const d = Math.hypot(x - cx, y - cy);
    if (y <= cy) return d <= outer && d >= inner;
    return y <= legEnd && Math.abs(x - cx) <= outer && Math.abs(x - cx) >= inner;
  };

function render(size: number, background: Rgb | 'transparent', layers: Layer[]): RgbaImage {
  const samples = 4;
  const pixels = new Uint8Array(size * size * 4);
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let r = 0;
      let g = 0;
      let b = 0;
      let a = 0;
      for (let sy = 0; sy < samples; sy++) {
        for (let sx = 0; sx < samples; sx++) {
          const x = (px + (sx + 0.5) / samples) / size;
          const y = (py + (sy + 0.5) / samples) / size;
          let color: Rgb | 'transparent' = background;
          for (const layer of layers) if (layer.inside(x, y)) color = layer.color;
          if (color === 'transparent') continue;
          r += color[0];
          g += color[1];
          b += color[2];
          a += 1;
        }
      }
      const i = (py * size + px) * 4;
      // Colour is averaged over covered samples only (straight, not premultiplied alpha).
      pixels[i] = a ? Math.round(r / a) : 0;
      pixels[i + 1] = a ? Math.round(g / a) : 0;
      pixels[i + 2] = a ? Math.round(b / a) : 0;
      pixels[i + 3] = Math.round((255 * a) / (samples * samples));
    }
  }
  return { width: size, height: size, pixels };
}

export function drawColorIcon(): RgbaImage {
  const accent = ACCENT.rgb;
  return render(192, accent, [
    { color: WHITE, inside: roundedRect(0.31, 0.12, 0.69, 0.88, 0.08) },
    { color: accent, inside: roundedRect(0.35, 0.2, 0.65, 0.74, 0.02) },
    { color: WHITE, inside: shackle(0.5, 0.42, 0.075, 0.045, 0.47) },
    { color: WHITE, inside: roundedRect(0.4, 0.45, 0.6, 0.63, 0.02) },
    { color: accent, inside: circle(0.5, 0.53, 0.022) },
    { color: accent, inside: circle(0.5, 0.81, 0.028) },
  ]);
}

export function drawOutlineIcon(): RgbaImage {
  return render(32, 'transparent', [
    { color: WHITE, inside: shackle(0.5, 0.42, 0.22, 0.12, 0.5) },
    { color: WHITE, inside: roundedRect(0.22, 0.46, 0.78, 0.9, 0.07) },
    { color: 'transparent', inside: circle(0.5, 0.64, 0.07) },
    { color: 'transparent', inside: roundedRect(0.47, 0.64, 0.53, 0.78, 0.01) },
  ]);
}

if (require.main === module) {
  const dir = join(projectRoot(), 'appPackage');
  writeFileSync(join(dir, 'color.png'), encodePng(drawColorIcon()));
  writeFileSync(join(dir, 'outline.png'), encodePng(drawOutlineIcon()));
  console.log(`Wrote ${join(dir, 'color.png')} (192x192) and ${join(dir, 'outline.png')} (32x32).`);
}
