import { join } from 'node:path';
import { openSqliteStores } from '../store/sqlite/openSqliteStores';
import { demoCallerSettings } from './demoSettings';
import {
  NothingToApproveError,
  pressAsSecondTechnician,
  SECOND_TECHNICIAN,
} from './secondTechnician';

// `npm run demo:approve` (or `npm run demo:approve -- --deny "reason"`), while `npm start`
// runs with APPROVAL=all: the second demo technician decides on the newest waiting reset.

/** The texts of an expanded card, one per line (enough to show the answer in a terminal). */
function textsOf(card: unknown): string[] {
  if (Array.isArray(card)) return card.flatMap(textsOf);
  if (!card || typeof card !== 'object') return [];
  const node = card as Record<string, unknown>;
  const own = node.type === 'TextBlock' && typeof node.text === 'string' ? [node.text] : [];
  return [...own, ...Object.values(node).flatMap(textsOf)];
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const denyAt = args.indexOf('--deny');
  const verb = denyAt >= 0 ? 'deny' : 'approve';
  const reason = denyAt >= 0 ? args[denyAt + 1] : undefined;
  const { dataDir } = demoCallerSettings(process.env);
  const stores = openSqliteStores(dataDir);
  try {
    const result = await pressAsSecondTechnician({
      documents: stores.documents,
      verb,
      ...(reason ? { reason } : {}),
    });
    console.log(`${SECOND_TECHNICIAN.name} pressed ${verb} on the reset of ${result.device}:`);
    for (const line of textsOf(result.card)) console.log(`  ${line}`);
  } finally {
    await stores.documents.close();
  }
}

main().catch((error: unknown) => {
  const message = (error as Error)?.message ?? String(error);
  process.stderr.write(
    error instanceof NothingToApproveError
      ? `${message}\n`
      : `Could not press for the second technician (is \`npm start\` running? data: ${join(process.cwd(), 'data', 'demo')}): ${message}\n`,
  );
  process.exit(1);
});
