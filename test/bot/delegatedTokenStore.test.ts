import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudAdapter } from 'botbuilder';
import {
  BotUserTokenSource,
  TokenStoreError,
  tokenStoreLookup,
} from '../../src/bot/auth/userTokenSource';
import { ConversationDirectory, userKey, USERS_COLLECTION } from '../../src/bot/directory';
import type { AuditEntry } from '../../src/domain/ports/audit';
import type { Stores } from '../../src/domain/ports/storage';
import { openSqliteStores } from '../../src/store/sqlite/openSqliteStores';

const TENANT = '8f4e7a1c-2b3d-4e5f-9a6b-7c8d9e0f1a2b';
const MEGAN = { aadObjectId: '0c3b2a91-4f5e-4d6c-8b7a-000000000002', teamsUserId: '29:1megan' };

interface TokenCall {
  userId: string;
  connectionName: string;
  channelId: string;
  magicCode: string | undefined;
}

/**
 * Bot Framework authentication that answers from memory: the CloudAdapter runs its real
 * proactive turn, with this UserTokenClient in turn state (the Bot Service token store's
 * stand-in). Nothing goes on the network.
 */
function recordingAuthentication(answer: (call: TokenCall) => Promise<{ token?: string } | null>) {
  const calls: TokenCall[] = [];
  const authentication = {
    createConnectorFactory: () => ({ create: async () => ({}) }),
    createUserTokenClient: async () => ({
      getUserToken: async (
        userId: string,
        connectionName: string,
        channelId: string,
        magicCode: string | undefined,
      ) => {
        const call = { userId, connectionName, channelId, magicCode };
        calls.push(call);
        return answer(call);
      },
    }),
  } as unknown as ConstructorParameters<typeof CloudAdapter>[0];
  return { authentication, calls };
}

describe('bot: the tracker reads a requester token from the token store (CloudAdapter, proactive turn)', () => {
  let dataDir: string;
  let stores: Stores<AuditEntry>;
  let directory: ConversationDirectory;

  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'passcode-desk-tokenstore-'));
    stores = openSqliteStores<AuditEntry>(dataDir);
    directory = new ConversationDirectory(stores.documents);
    await stores.documents.put(USERS_COLLECTION, userKey(TENANT, MEGAN.aadObjectId), {
      teamsUserId: MEGAN.teamsUserId,
      aadObjectId: MEGAN.aadObjectId,
      tenantId: TENANT,
      serviceUrl: 'https://smba.example.invalid/teams/',
      bot: { id: '28:bot' },
      locale: 'en-US',
      updatedAt: new Date().toISOString(),
    });
  });
  afterEach(async () => {
    await stores.documents.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('asks by Teams user id on msteams for the OAuth connection, and hides the token', async () => {
    const { authentication, calls } = recordingAuthentication(async () => ({
      token: 'eyJ.store-token.sig',
    }));
    const adapter = new CloudAdapter(authentication);
    const source = new BotUserTokenSource(directory, tokenStoreLookup(adapter, 'app-id', 'graph'));

    const token = await source.forUser(TENANT, MEGAN.aadObjectId);
    assert.equal(token?.reveal(), 'eyJ.store-token.sig');
    assert.equal(JSON.stringify({ token }), '{"token":"[token hidden]"}');
    assert.deepEqual(calls, [
      {
        userId: MEGAN.teamsUserId,
        connectionName: 'graph',
        channelId: 'msteams',
        magicCode: undefined,
      },
    ]);
  });

  it('says "no token" for a signed-out user and for one never seen in Teams', async () => {
    const { authentication, calls } = recordingAuthentication(async () => null);
    const adapter = new CloudAdapter(authentication);
    const source = new BotUserTokenSource(directory, tokenStoreLookup(adapter, 'app-id', 'graph'));
    assert.equal(await source.forUser(TENANT, MEGAN.aadObjectId), undefined);
    assert.equal(await source.forUser(TENANT, '0c3b2a91-4f5e-4d6c-8b7a-000000000099'), undefined);
    assert.equal(calls.length, 1, 'an unknown user is not looked up');
  });

  it('turns a token store failure into an error that names the status only', async () => {
    const { authentication } = recordingAuthentication(async () => {
      throw Object.assign(new Error('GET .../usertoken Authorization: Bearer app-secret-token'), {
        statusCode: 503,
      });
    });
    let turnErrors = 0;
    const adapter = new CloudAdapter(authentication);
    adapter.onTurnError = async () => void turnErrors++;
    const source = new BotUserTokenSource(directory, tokenStoreLookup(adapter, 'app-id', 'graph'));
    await assert.rejects(source.forUser(TENANT, MEGAN.aadObjectId), (error: unknown) => {
      assert.ok(error instanceof TokenStoreError);
      assert.equal(error.status, 503);
      assert.doesNotMatch(error.message, /Bearer|app-secret-token/);
      return true;
    });
    assert.equal(turnErrors, 0, 'the failure reaches the tracker, not onTurnError');
  });
});
