import assert from 'node:assert/strict';
import { parseCommand, type Command } from '../../src/bot/commands/parseCommand';

describe('bot: parseCommand', () => {
  const cases: Array<[string, Command]> = [
    ['reset alex@contoso.com', { kind: 'reset', query: 'alex@contoso.com' }],
    ['reset passcode for alex@contoso.com', { kind: 'reset', query: 'alex@contoso.com' }],
    ['Reset the PIN on Lumia 950', { kind: 'reset', query: 'Lumia 950' }],
    ['reset the pin code of LEE-LUMIA650', { kind: 'reset', query: 'LEE-LUMIA650' }],
    ['please reset SN-123', { kind: 'reset', query: 'SN-123' }],
    ['Could you reset password for RM1104A7K2Q9?', { kind: 'reset', query: 'RM1104A7K2Q9' }],
    ['reset PIN-PAD-01', { kind: 'reset', query: 'PIN-PAD-01' }],
    ["reset O'Brien's Lumia", { kind: 'reset', query: "O'Brien's Lumia" }],
    ['reset', { kind: 'reset', query: '' }],
    ['reset passcode', { kind: 'reset', query: '' }],
    ['  reset   the   passcode   for   lumia  ', { kind: 'reset', query: 'lumia' }],
    ['重設密碼 alex@contoso.com', { kind: 'reset', query: 'alex@contoso.com' }],
    ['重設密碼alex@contoso.com', { kind: 'reset', query: 'alex@contoso.com' }],
    ['重設 王小明的 Lumia', { kind: 'reset', query: '王小明的 Lumia' }],
    ['請重設密碼 SN-123。', { kind: 'reset', query: 'SN-123' }],
    ['重設', { kind: 'reset', query: '' }],
    ['status', { kind: 'status' }],
    ['Status!', { kind: 'status' }],
    ['狀態', { kind: 'status' }],
    ['show passcode Lumia 950', { kind: 'showPasscode', device: 'Lumia 950' }],
    ['show the passcode for Lumia 950', { kind: 'showPasscode', device: 'Lumia 950' }],
    ['show passcode', { kind: 'showPasscode', device: '' }],
    ['顯示密碼 Lumia 950', { kind: 'showPasscode', device: 'Lumia 950' }],
    ['check setup', { kind: 'checkSetup' }],
    ['檢查設定', { kind: 'checkSetup' }],
    ['help', { kind: 'help' }],
    ['說明', { kind: 'help' }],
    ['?', { kind: 'help' }],
    ['audit', { kind: 'audit', limit: 10 }],
    ['audit 25', { kind: 'audit', limit: 25 }],
    ['audit 5000', { kind: 'audit', limit: 50, asked: 5000 }],
    ['audit 100', { kind: 'audit', limit: 50, asked: 100 }],
    ['audit 50', { kind: 'audit', limit: 50 }],
    ['audit 0', { kind: 'auditUsage' }],
    ['audit -5', { kind: 'auditUsage' }],
    ['audit abc', { kind: 'auditUsage' }],
    ['audit 2.5', { kind: 'auditUsage' }],
    ['稽核 abc', { kind: 'auditUsage' }],
    ['稽核 5', { kind: 'audit', limit: 5 }],
    ['notify here', { kind: 'notifyHere' }],
    ['在此通知', { kind: 'notifyHere' }],
    ['hello there', { kind: 'unknown', text: 'hello there' }],
    ['resetting everything', { kind: 'unknown', text: 'resetting everything' }],
    ['audit everything', { kind: 'auditUsage' }],
    ['auditor', { kind: 'unknown', text: 'auditor' }],
    ['', { kind: 'unknown', text: '' }],
  ];
  for (const [text, expected] of cases) {
    it(`reads ${JSON.stringify(text)}`, () => {
      assert.deepEqual(parseCommand(text), expected);
    });
  }
});
