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
const root = projectRoot();
const results = JSON.parse(
  readFileSync(join(root, 'bench', 'results.json'), 'utf8'),
) as BenchResults;
writeBenchmarksPage(root, results);
console.log('wrote docs/BENCHMARKS.md from bench/results.json');
