import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppManifestUtils } from '@microsoft/app-manifest';
import { unzipSync } from 'fflate';
import { PNG } from 'pngjs';
import { parseCommand } from '../../src/bot/commands/parseCommand';
import { projectRoot } from '../../src/paths';
import { buildAppPackage, DEV_BOT_ID } from '../../src/tools/packageApp';

const sourceDir = join(projectRoot(), 'appPackage');
const BOT_ID = '3f2504e0-4f89-41d3-9a0c-0305e82c3301';

interface Command {
  title: string;
  description?: string;
}
interface Manifest {
  $schema: string;
  manifestVersion: string;
  id: string;
  bots: {
    botId: string;
    scopes: string[];
    commandLists: { scopes: string[]; commands: Command[] }[];
  }[];
  localizationInfo: {
    defaultLanguageTag: string;
    additionalLanguages: { languageTag: string; file: string }[];
  };
}

interface LocalizationSchema {
  required: string[];
  properties: Record<string, { maxLength?: number }>;
  patternProperties: Record<string, { maxLength?: number }>;
}

describe('Teams app package', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'app-package-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('validates offline against the v1.30 schema with zero failures, once the bot id is filled in', async () => {
    const file = join(dir, 'manifest.json');
    writeFileSync(
      file,
      readFileSync(join(sourceDir, 'manifest.json'), 'utf8').replaceAll('${{BOT_ID}}', BOT_ID),
    );
    const [manifest, failures] = await AppManifestUtils.readAndValidateTeamsManifest(file);
    assert.deepEqual(failures, []);
    assert.equal(manifest.manifestVersion, '1.30');
    assert.equal(
      manifest.$schema,
      'https://developer.microsoft.com/json-schemas/teams/v1.30/MicrosoftTeams.schema.json',
    );
  });

  it('declares one bot in personal, group chat and team scope with reset, status, help and check setup', () => {
    const manifest = JSON.parse(readFileSync(join(sourceDir, 'manifest.json'), 'utf8')) as Manifest;
    const [bot] = manifest.bots;
    assert.ok(bot);
    assert.equal(bot.botId, '${{BOT_ID}}');
    assert.deepEqual([...bot.scopes].sort(), ['groupChat', 'personal', 'team']);
    const personal = bot.commandLists.find((list) => list.scopes.includes('personal'));
    assert.ok(personal);
    for (const title of ['reset', 'status', 'help', 'check setup']) {
      assert.ok(
        personal.commands.some((c) => c.title === title),
        `personal commands lack "${title}"`,
      );
    }
    const covered = new Set(bot.commandLists.flatMap((list) => list.scopes));
    assert.deepEqual([...covered].sort(), ['groupChat', 'personal', 'team']);
  });

  it('every command title, English or zh-TW, is a command the bot understands', () => {
    const manifest = JSON.parse(readFileSync(join(sourceDir, 'manifest.json'), 'utf8')) as Manifest;
    const zh = JSON.parse(readFileSync(join(sourceDir, 'zh-tw.json'), 'utf8')) as Record<
      string,
      string
    >;
    manifest.bots[0]!.commandLists.forEach((list, l) =>
      list.commands.forEach((command, c) => {
        const english = parseCommand(command.title).kind;
        assert.notEqual(english, 'unknown', `"${command.title}" is not a command`);
        const translated = zh[`bots[0].commandLists[${l}].commands[${c}].title`];
        assert.ok(translated, `zh-tw.json lacks the title of "${command.title}"`);
        assert.equal(
          parseCommand(translated).kind,
          english,
          `"${translated}" does not mean "${command.title}"`,
        );
      }),
    );
  });

  it('the zh-TW localization file matches its schema and only names strings that exist', async () => {
    const manifest = JSON.parse(readFileSync(join(sourceDir, 'manifest.json'), 'utf8')) as Manifest;
    assert.deepEqual(manifest.localizationInfo.additionalLanguages, [
      { languageTag: 'zh-tw', file: 'zh-tw.json' },
    ]);
    const zh = JSON.parse(readFileSync(join(sourceDir, 'zh-tw.json'), 'utf8')) as Record<
      string,
      string
    >;
    // The official schema's patterns do not compile under ajv's unicode regexps, so its
    // rules are applied here directly: required keys, known keys only, maximum lengths.
    const schema = (await AppManifestUtils.fetchSchema(
      zh.$schema!,
    )) as unknown as LocalizationSchema;
    for (const key of schema.required) assert.ok(zh[key], `zh-tw.json lacks ${key}`);
    for (const [key, value] of Object.entries(zh).filter(([k]) => k !== '$schema')) {
      const rule =
        schema.properties[key] ??
        Object.entries(schema.patternProperties).find(([pattern]) =>
          new RegExp(pattern).test(key),
        )?.[1];
      assert.ok(rule, `zh-tw.json key ${key} is not allowed by the localization schema`);
      assert.ok(
        value.length > 0 && value.length <= (rule.maxLength ?? Infinity),
        `${key} is too long`,
      );
    }
    for (const key of Object.keys(zh).filter((k) => k !== '$schema')) {
      const value = key
        .split(/\.(?![^[]*\])|\[|\]\.?/)
        .filter(Boolean)
        .reduce<unknown>(
          (node, part) => (node as Record<string, unknown> | undefined)?.[part],
          manifest,
        );
      assert.equal(typeof value, 'string', `zh-tw.json key ${key} names nothing in manifest.json`);
    }
  });

  it('has a 192x192 colour icon and a 32x32 transparent white outline icon', () => {
    const color = PNG.sync.read(readFileSync(join(sourceDir, 'color.png')));
    assert.deepEqual({ w: color.width, h: color.height }, { w: 192, h: 192 });
    const outline = PNG.sync.read(readFileSync(join(sourceDir, 'outline.png')));
    assert.equal(outline.width, 32);
    assert.equal(outline.height, 32);
    assert.equal(outline.colorType, 6, 'the outline icon is RGBA');
    let transparent = 0;
    for (let i = 0; i < outline.data.length; i += 4) {
      if (outline.data[i + 3] === 0) transparent++;
      else
        assert.deepEqual(
          [...outline.data.subarray(i, i + 3)],
          [255, 255, 255],
          'outline pixels must be white',
        );
    }
    assert.ok(transparent > 32 * 32 * 0.3, 'the outline icon needs a transparent background');
    assert.equal(outline.data[3], 0, 'the corner must be transparent');
  });

  it('zips the manifest, icons and localization file flat, with the bot id filled in', async () => {
    const outFile = join(dir, 'out', 'appPackage.zip');
    const result = await buildAppPackage({ botId: BOT_ID, outFile });
    assert.equal(result.usedDevBotId, false);
    assert.equal(result.schemaChecked, true);
    const files = Object.entries(unzipSync(readFileSync(outFile))).map(([name, data]) => ({
      name,
      data: Buffer.from(data),
    }));
    assert.deepEqual(files.map((f) => f.name).sort(), [
      'color.png',
      'manifest.json',
      'outline.png',
      'zh-tw.json',
    ]);
    const manifest = JSON.parse(
      files.find((f) => f.name === 'manifest.json')!.data.toString('utf8'),
    ) as Manifest;
    assert.equal(manifest.bots[0]!.botId, BOT_ID);
    for (const name of ['color.png', 'outline.png', 'zh-tw.json']) {
      assert.ok(
        files.find((f) => f.name === name)!.data.equals(readFileSync(join(sourceDir, name))),
        name,
      );
    }
    if (existsSync('/usr/bin/unzip')) {
      const listing = execFileSync('/usr/bin/unzip', ['-t', outFile], { encoding: 'utf8' });
      assert.match(listing, /No errors detected/);
    }
  });

  it('uses an obviously fake bot id without MicrosoftAppId, builds byte-identical zips, refuses a non-GUID', async () => {
    const first = await buildAppPackage({ outFile: join(dir, 'a.zip') });
    const second = await buildAppPackage({ botId: '', outFile: join(dir, 'b.zip') });
    assert.equal(first.botId, DEV_BOT_ID);
    assert.equal(second.botId, DEV_BOT_ID);
    assert.equal(first.usedDevBotId, true);
    assert.ok(readFileSync(join(dir, 'a.zip')).equals(readFileSync(join(dir, 'b.zip'))));
    await assert.rejects(buildAppPackage({ botId: 'my-bot', outFile: join(dir, 'c.zip') }), /GUID/);
    assert.equal(existsSync(join(dir, 'c.zip')), false);
  });

  it('refuses a manifest that breaks the schema or a wrongly sized icon', async () => {
    const broken = join(dir, 'broken');
    cpSync(sourceDir, broken, { recursive: true });
    const manifest = JSON.parse(readFileSync(join(broken, 'manifest.json'), 'utf8')) as Record<
      string,
      unknown
    >;
    writeFileSync(
      join(broken, 'manifest.json'),
      JSON.stringify({ ...manifest, accentColor: 'blue' }),
    );
    await assert.rejects(
      buildAppPackage({ sourceDir: broken, outFile: join(dir, 'x.zip') }),
      /does not match its schema[\s\S]*accentColor/,
    );
    writeFileSync(join(broken, 'manifest.json'), JSON.stringify(manifest));
    cpSync(join(sourceDir, 'outline.png'), join(broken, 'color.png'));
    await assert.rejects(
      buildAppPackage({ sourceDir: broken, outFile: join(dir, 'y.zip') }),
      /192x192/,
    );
  });

  it('refuses a manifest that names one file twice, writing no zip', async () => {
    const twice = join(dir, 'twice');
    cpSync(sourceDir, twice, { recursive: true });
    const manifest = JSON.parse(readFileSync(join(twice, 'manifest.json'), 'utf8')) as Manifest;
    const [language] = manifest.localizationInfo.additionalLanguages;
    assert.ok(language);
    manifest.localizationInfo.additionalLanguages.push({ ...language, languageTag: 'zh-hk' });
    writeFileSync(join(twice, 'manifest.json'), JSON.stringify(manifest));
    const outFile = join(dir, 'twice.zip');
    await assert.rejects(buildAppPackage({ sourceDir: twice, outFile }), /names zh-tw\.json twice/);
    assert.equal(existsSync(outFile), false);
  });
});
