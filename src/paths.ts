import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The folder holding package.json, whether running from src/ (ts) or dist/src/ (js). */
export function projectRoot(): string {
  let dir = __dirname;
  for (;;) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'cards'))) return dir;
    const parent = dirname(dir);
    if (parent === dir)
      throw new Error('Cannot find the project root (package.json beside cards/)');
    dir = parent;
  }
}
