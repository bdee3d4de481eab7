import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderBenchmarksMarkdown, type BenchResults } from './report';

/** docs/BENCHMARKS.md from results plus the hand-written bench/method.md and bench/findings.md. */
export function writeBenchmarksPage(root: string, results: BenchResults): void {
  const method = readText(join(root, 'bench', 'method.md'));
  const findings = readText(join(root, 'bench', 'findings.md'));
  mkdirSync(join(root, 'docs'), { recursive: true });
  writeAtomically(
    join(root, 'docs', 'BENCHMARKS.md'),
    renderBenchmarksMarkdown(results, method, findings),
  );
}

export function writeAtomically(file: string, text: string): void {
  writeFileSync(`${file}.tmp`, text);
  renameSync(`${file}.tmp`, file);
}

function readText(file: string): string {
  return existsSync(file) ? readFileSync(file, 'utf8') : '';
}
