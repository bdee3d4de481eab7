import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../src/paths';
import { writeBenchmarksPage } from './page';
import type { BenchResults } from './report';

/**
 * Re-renders docs/BENCHMARKS.md from the last bench/results.json (after editing
 * bench/method.md or bench/findings.md) without running the bench again:
 * `node dist/bench/render.js`.
 */
async function main(): Promise<void> {
  const root = projectRoot();
  const text = readFileSync(join(root, 'bench', 'results.json'), 'utf8');
  await writeBenchmarksPage(root, JSON.parse(text) as BenchResults);
  console.log('wrote docs/BENCHMARKS.md from bench/results.json');
}

main().catch((error: unknown) => {
  console.error('render failed:', error);
  process.exit(1);
});
