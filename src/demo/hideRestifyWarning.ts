/**
 * restify 11 on Node 20 warns DEP0111 (process.binding) when it loads: known and
 * harmless, and noise on the demo's console. Every other warning still prints.
 * Imported first by start.ts, so it runs before restify is required.
 */
const emitWarning = process.emitWarning.bind(process) as (...args: unknown[]) => void;
process.emitWarning = ((...args: unknown[]) => {
  const [, second, third] = args;
  const code = typeof second === 'object' && second ? (second as { code?: unknown }).code : third;
  if (code !== 'DEP0111') emitWarning(...args);
}) as typeof process.emitWarning;
