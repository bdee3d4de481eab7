import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderBenchmarksMarkdown, type BenchResults } from './report';

/** docs/BENCHMARKS.md from results plus the hand-written bench/method.md and bench/findings.md. */
export async function writeBenchmarksPage(root: string, results: BenchResults): Promise<void> {
  const method = readText(join(root, 'bench', 'method.md'));
  const findings = readText(join(root, 'bench', 'findings.md'));
  const file = join(root, 'docs', 'BENCHMARKS.md');
  mkdirSync(join(root, 'docs'), { recursive: true });
  writeAtomically(file, await formatted(file, renderBenchmarksMarkdown(results, method, findings)));
}

export function writeAtomically(file: string, text: string): void {
  writeFileSync(`${file}.tmp`, text);
  renameSync(`${file}.tmp`, file);
}

/** As `npm run lint` (prettier --check .) wants it; unformatted when prettier is not installed. */
async function formatted(file: string, text: string): Promise<string> {
  try {
    const prettier = await import('prettier');
    const options = (await prettier.resolveConfig(file)) ?? {};
    return await prettier.format(text, { ...options, filepath: file });
  } catch {
    return text;
  }
}

function readText(file: string): string {
  return existsSync(file) ? readFileSync(file, 'utf8') : '';
}
