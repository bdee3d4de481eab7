import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, normalize, resolve } from 'node:path';
import { strToU8, zipSync, type Zippable } from 'fflate';
import { PNG } from 'pngjs';
import { projectRoot } from '../paths';

/**
 * `npm run package`: builds build/appPackage.zip (flat: manifest.json, the icons and the
 * localization files the manifest names) from appPackage/, putting MicrosoftAppId in
 * place of ${{BOT_ID}}. Without MicrosoftAppId it uses an obviously fake id, good for
 * inspecting the package but not for uploading it.
 */
export const DEV_BOT_ID = '00000000-0000-0000-0000-000000000000';
const GUID = /^[0-9a-fA-F]{8}-(?:[0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$/;
const ICON_SIZES = { color: 192, outline: 32 } as const;
/** Every entry gets this time, so the same inputs give a byte-identical package. */
const FIXED_ENTRY_TIME = new Date(2024, 0, 1);

export interface PackageOptions {
  /** The Azure Bot app id; DEV_BOT_ID when absent. */
  botId?: string;
  /** Folder with manifest.json and its files (default appPackage/). */
  sourceDir?: string;
  /** Where to write the zip (default build/appPackage.zip). */
  outFile?: string;
}

export interface PackageResult {
  outFile: string;
  botId: string;
  usedDevBotId: boolean;
  files: string[];
  /** Schema problems reported by @microsoft/app-manifest (empty when valid). */
  schemaFailures: string[];
  schemaChecked: boolean;
}

interface ManifestShape {
  icons?: { color?: string; outline?: string };
  localizationInfo?: { defaultLanguageFile?: string; additionalLanguages?: { file: string }[] };
}

export async function buildAppPackage(options: PackageOptions = {}): Promise<PackageResult> {
  const sourceDir = options.sourceDir ?? join(projectRoot(), 'appPackage');
  const outFile = options.outFile ?? join(projectRoot(), 'build', 'appPackage.zip');
  const botId = options.botId?.trim() || DEV_BOT_ID;
  if (!GUID.test(botId)) {
    throw new Error(`MicrosoftAppId must be the Azure Bot app id (a GUID), got "${botId}"`);
  }

  const manifestText = readFileSync(join(sourceDir, 'manifest.json'), 'utf8').replaceAll(
    '${{BOT_ID}}',
    botId,
  );
  const leftover = manifestText.match(/\$\{\{[A-Z0-9_]+\}\}/);
  if (leftover)
    throw new Error(`appPackage/manifest.json has a placeholder nobody fills: ${leftover[0]}`);
  const manifest = JSON.parse(manifestText) as ManifestShape;

  const entries: { name: string; data: Uint8Array }[] = [
    { name: 'manifest.json', data: strToU8(manifestText) },
  ];
  for (const [kind, size] of Object.entries(ICON_SIZES) as [keyof typeof ICON_SIZES, number][]) {
    const name = requireFlatName(manifest.icons?.[kind], `icons.${kind}`);
    const data = readFileSync(join(sourceDir, name));
    const { width, height } = PNG.sync.read(data);
    if (width !== size || height !== size) {
      throw new Error(`${name} must be ${size}x${size} pixels, it is ${width}x${height}`);
    }
    entries.push({ name, data });
  }
  const languageFiles = [
    manifest.localizationInfo?.defaultLanguageFile,
    ...(manifest.localizationInfo?.additionalLanguages ?? []).map((l) => l.file),
  ].filter((f): f is string => !!f);
  for (const file of languageFiles) {
    const name = requireFlatName(file, 'localizationInfo');
    entries.push({ name, data: readFileSync(join(sourceDir, name)) });
  }

  const { checked, failures } = await validateManifest(manifestText);
  if (failures.length > 0) {
    throw new Error(`The manifest does not match its schema:\n  ${failures.join('\n  ')}`);
  }
  mkdirSync(dirname(outFile), { recursive: true });
  const files: Zippable = {};
  for (const { name, data } of entries) {
    if (name in files) throw new Error(`appPackage/manifest.json names ${name} twice`);
    files[name] = [data, { mtime: FIXED_ENTRY_TIME }];
  }
  writeFileSync(outFile, zipSync(files, { level: 9 }));
  return {
    outFile,
    botId,
    usedDevBotId: botId === DEV_BOT_ID,
    files: entries.map((e) => e.name),
    schemaFailures: failures,
    schemaChecked: checked,
  };
}

/** Teams wants every file at the root of the zip. */
function requireFlatName(name: string | undefined, field: string): string {
  if (!name || normalize(name) !== name || /[\\/]/.test(name)) {
    throw new Error(`manifest ${field} must name a file beside manifest.json, got "${name ?? ''}"`);
  }
  return name;
}

/** Offline schema check with the bundled schemas; skipped when dev dependencies are absent. */
async function validateManifest(
  manifestText: string,
): Promise<{ checked: boolean; failures: string[] }> {
  let utils: typeof import('@microsoft/app-manifest').AppManifestUtils;
  try {
    ({ AppManifestUtils: utils } = await import('@microsoft/app-manifest'));
  } catch {
    return { checked: false, failures: [] };
  }
  const { mkdtempSync, rmSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const dir = mkdtempSync(join(tmpdir(), 'manifest-'));
  try {
    const file = join(dir, 'manifest.json');
    writeFileSync(file, manifestText);
    const [, failures] = await utils.readAndValidateTeamsManifest(file);
    return { checked: true, failures };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const result = await buildAppPackage({ botId: process.env.MicrosoftAppId ?? '' });
  console.log(`Teams app package written: ${resolve(result.outFile)}`);
  console.log(`  files: ${result.files.join(', ')}`);
  console.log(`  bot id: ${result.botId}`);
  if (result.usedDevBotId) {
    console.log('  MicrosoftAppId is not set: the package carries a placeholder bot id.');
    console.log('  Set MicrosoftAppId to your Azure Bot app id before uploading it to Teams.');
  }
  console.log(
    result.schemaChecked
      ? '  manifest: valid against the v1.30 schema (checked offline)'
      : '  manifest: schema not checked (@microsoft/app-manifest is a dev dependency and is not installed)',
  );
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(`Packaging failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
}
