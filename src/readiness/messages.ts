/**
 * The readiness report's texts, in English and Traditional Chinese. Kept here, apart
 * from src/i18n, so `npm run doctor` needs nothing else; the keys are unique to the
 * report ('readiness.*') and can be merged into the bot's dictionaries as they are.
 */
export type ReadinessLocale = 'en' | 'zh-TW';

export const READINESS_LOCALES: readonly ReadinessLocale[] = ['en', 'zh-TW'];

const en = {
  'readiness.heading': 'Passcode Desk readiness',
  'readiness.tenant': 'Tenant {tenantId}',
  'readiness.area.graph': 'Microsoft Graph',
  'readiness.area.permissions': 'Graph permissions',
  'readiness.area.prerequisites': 'PIN reset prerequisites',
  'readiness.area.storage': 'Storage',
  'readiness.area.bot': 'Bot registration',
  'readiness.permissionSource.roles': "read from the token's application permissions (roles)",
  'readiness.permissionSource.scopes': "read from the token's delegated permissions (scp)",
  'readiness.permissionSource.opaque':
    'the token is not a JWT (the development token): nothing to read',
  'readiness.permissionSource.none': 'not read',
  'readiness.fixLabel': 'Fix: {fix}',
  'readiness.summary': 'Passed {pass} · failed {fail} · warnings {warn} · skipped {skip}',
  'readiness.ready': 'Ready: nothing failed.',
  'readiness.notReady': 'Not ready: fix the failures above, then run the check again.',

  'readiness.check.graph.reachable': 'Microsoft Graph answers at {baseUrl}',
  'readiness.check.permission.readDevices': '{permission}: find devices and read reset results',
  'readiness.check.permission.resetPasscode': '{permission}: reset a passcode',
  'readiness.check.permission.readUsers':
    "{permission}: find people by name, and read a technician's user object for the group check",
  'readiness.check.permission.groupMembership':
    "{permission}: check technicians' and admins' group membership",
  'readiness.check.permission.readApplications': '{permission}: find the two PIN reset apps',
  'readiness.check.permission.readConfiguration':
    '{permission}: read the EnablePinRecovery profile and its assignment',
  'readiness.check.prerequisite.pinResetServicePrincipal':
    'Microsoft Pin Reset Service Production has admin consent',
  'readiness.check.prerequisite.pinResetClientPrincipal':
    'Microsoft Pin Reset Client Production has admin consent',
  'readiness.check.prerequisite.enablePinRecoveryProfile':
    'PIN recovery is turned on (custom profile, Settings Catalog or Identity Protection)',
  'readiness.check.prerequisite.enablePinRecoveryAssignment': 'That profile or policy is assigned',
  'readiness.check.prerequisite.androidEnterprisePasscodePolicy':
    'An Android Enterprise device or work-profile passcode policy is assigned',
  'readiness.check.prerequisite.aospPasscodePolicy':
    'An Android (AOSP) device passcode policy is assigned',
  'readiness.check.storage.reachable': 'Storage ({storage}) answers',
  'readiness.check.storage.roundTrip': 'Storage writes, reads and deletes a probe document',
  'readiness.check.bot.registration': 'The bot identity signs in to the Bot Framework',

  'readiness.fix.graph.unreachable':
    'Check GRAPH_BASE_URL and that this machine reaches Microsoft Graph over HTTPS (DNS, proxy, firewall).',
  'readiness.fix.graph.credentials':
    'Check the Graph credentials: AZURE_TENANT_ID, AZURE_CLIENT_ID and the client secret, certificate or managed identity (docs/DEPLOY.md, steps 2 to 4).',
  'readiness.fix.graph.forbidden':
    'Graph refused the app: grant it DeviceManagementManagedDevices.Read.All (docs/DEPLOY.md, step 4). A managed identity can take up to 24 hours to see a new grant.',
  'readiness.fix.graph.throttled':
    'Graph is throttling this app: wait a few minutes, then run the check again.',
  'readiness.fix.graph.error':
    'Graph answered with an error: run the check again later; if it persists, look at Microsoft 365 service health.',
  'readiness.fix.graph.delegated':
    'Delegated mode: type `check setup` in Teams, which checks Graph with your own token.',
  'readiness.fix.tenantId': 'Set AZURE_TENANT_ID to your Entra tenant id.',
  'readiness.fix.permission.application':
    "Grant the application permission {permission} to the app's service principal (docs/DEPLOY.md, step 4). A managed identity can take up to 24 hours to see a new grant.",
  'readiness.fix.permission.delegated':
    'Add the delegated permission {permission} to the sign-in app registration and grant admin consent (docs/DEPLOY.md, step 5), then sign in again.',
  'readiness.fix.permission.leastPrivilege':
    'Works through {broader}, which allows more than needed: grant {permission} instead and remove {broader}.',
  'readiness.fix.permission.groupsNotSet':
    'Not needed while HELPDESK_GROUP_IDS and ADMIN_GROUP_IDS are empty; grant {permission} when you set them.',
  'readiness.fix.prerequisite.pinResetServicePrincipal':
    'A tenant administrator opens {consentUrl}, signs in and accepts (docs/DEPLOY.md, step 6).',
  'readiness.fix.prerequisite.pinResetClientPrincipal':
    'A tenant administrator opens {consentUrl}, signs in and accepts (docs/DEPLOY.md, step 6).',
  'readiness.fix.prerequisite.enablePinRecoveryProfile':
    'In Intune, turn on PIN recovery: a Settings Catalog policy (Windows Hello for Business > Enable Pin Recovery: true), an Identity Protection profile, or a Windows 10 custom profile with the OMA-URI {omaUri}, data type Boolean, value True (docs/DEPLOY.md, step 6).',
  'readiness.fix.prerequisite.enablePinRecoveryAssignment':
    'Assign the PIN recovery profile or policy to the user or device groups of the phones (docs/DEPLOY.md, step 6).',
  'readiness.fix.prerequisite.androidEnterprisePasscodePolicy':
    'Assign an Android Enterprise compliance policy or device restrictions profile that requires a device or work-profile password to the devices (docs/DEPLOY.md, step 6); without it the reset fails.',
  'readiness.fix.prerequisite.aospPasscodePolicy':
    'Assign an Android (AOSP) compliance policy or device restrictions profile that requires a password to the devices (docs/DEPLOY.md, step 6); without it the reset fails.',
  'readiness.fix.prerequisite.unreadable':
    'Graph did not let the app read this: grant Application.Read.All and DeviceManagementConfiguration.Read.All (docs/DEPLOY.md, step 4).',
  'readiness.fix.storage.sqlite':
    'Make DATA_DIR ({dataDir}) a folder this process can create and write to, on a disk with free space.',
  'readiness.fix.storage.blob':
    "Check AZURE_STORAGE_ACCOUNT_URL (or AZURE_STORAGE_CONNECTION_STRING) and the container {container}, and that the app's identity holds Storage Blob Data Contributor on the account.",
  'readiness.fix.bot.localDevelopment':
    'Fine on this machine. For Teams, set MicrosoftAppId, MicrosoftAppType and MicrosoftAppTenantId (and MicrosoftAppPassword unless UserAssignedMSI): docs/DEPLOY.md, step 2.',
  'readiness.fix.bot.secret':
    "Check that MicrosoftAppId ({appId}) and MicrosoftAppPassword are the Azure Bot's app registration in tenant {tenantId} and that the secret has not expired (rotating it: docs/DEPLOY.md, Operations).",
  'readiness.fix.bot.managedIdentity':
    "Check that the user-assigned managed identity {appId} is attached to this web app and is the Azure Bot's identity. A managed identity works only inside Azure.",
  'readiness.fix.bot.tenantId':
    "Set MicrosoftAppTenantId to the bot registration's tenant id: MicrosoftAppType={appType} requires it.",
  'readiness.fix.bot.msiPassword':
    'Leave MicrosoftAppPassword empty with MicrosoftAppType=UserAssignedMSI.',
} as const;

export type ReadinessMessageKey = keyof typeof en;

const zhTW: Record<ReadinessMessageKey, string> = {
  'readiness.heading': 'Passcode Desk 就緒檢查',
  'readiness.tenant': '租用戶 {tenantId}',
  'readiness.area.graph': 'Microsoft Graph',
  'readiness.area.permissions': 'Graph 權限',
  'readiness.area.prerequisites': 'PIN 重設的必要條件',
  'readiness.area.storage': '儲存體',
  'readiness.area.bot': 'Bot 註冊',
  'readiness.permissionSource.roles': '讀自權杖的應用程式權限（roles）',
  'readiness.permissionSource.scopes': '讀自權杖的委派權限（scp）',
  'readiness.permissionSource.opaque': '權杖不是 JWT（開發用權杖）：無從讀取',
  'readiness.permissionSource.none': '未讀取',
  'readiness.fixLabel': '修正方式：{fix}',
  'readiness.summary': '通過 {pass} 項・失敗 {fail} 項・警告 {warn} 項・略過 {skip} 項',
  'readiness.ready': '已就緒：沒有失敗的項目。',
  'readiness.notReady': '尚未就緒：請修正上方失敗的項目，再重新檢查。',

  'readiness.check.graph.reachable': 'Microsoft Graph 在 {baseUrl} 有回應',
  'readiness.check.permission.readDevices': '{permission}：搜尋裝置並讀取重設結果',
  'readiness.check.permission.resetPasscode': '{permission}：重設密碼',
  'readiness.check.permission.readUsers':
    '{permission}：依姓名尋找人員，並讀取技術人員的使用者物件以檢查群組成員資格',
  'readiness.check.permission.groupMembership': '{permission}：檢查技術人員與管理員的群組成員資格',
  'readiness.check.permission.readApplications': '{permission}：找出兩個 PIN 重設應用程式',
  'readiness.check.permission.readConfiguration':
    '{permission}：讀取 EnablePinRecovery 設定檔及其指派',
  'readiness.check.prerequisite.pinResetServicePrincipal':
    'Microsoft Pin Reset Service Production 已取得系統管理員同意',
  'readiness.check.prerequisite.pinResetClientPrincipal':
    'Microsoft Pin Reset Client Production 已取得系統管理員同意',
  'readiness.check.prerequisite.enablePinRecoveryProfile':
    '已啟用 PIN 復原（自訂設定檔、設定目錄或身分識別保護）',
  'readiness.check.prerequisite.enablePinRecoveryAssignment': '該設定檔或原則已指派',
  'readiness.check.prerequisite.androidEnterprisePasscodePolicy':
    '已指派 Android Enterprise 裝置或工作設定檔密碼原則',
  'readiness.check.prerequisite.aospPasscodePolicy': '已指派 Android（AOSP）裝置密碼原則',
  'readiness.check.storage.reachable': '儲存體（{storage}）有回應',
  'readiness.check.storage.roundTrip': '儲存體能寫入、讀取並刪除測試文件',
  'readiness.check.bot.registration': 'Bot 身分能登入 Bot Framework',

  'readiness.fix.graph.unreachable':
    '請檢查 GRAPH_BASE_URL，以及這台電腦能否以 HTTPS 連到 Microsoft Graph（DNS、Proxy、防火牆）。',
  'readiness.fix.graph.credentials':
    '請檢查 Graph 認證：AZURE_TENANT_ID、AZURE_CLIENT_ID，以及用戶端密碼、憑證或受控識別（docs/DEPLOY.md 步驟 2 至 4）。',
  'readiness.fix.graph.forbidden':
    'Graph 拒絕了此應用程式：請授與 DeviceManagementManagedDevices.Read.All（docs/DEPLOY.md 步驟 4）。受控識別可能要等最多 24 小時才會取得新授與的權限。',
  'readiness.fix.graph.throttled': 'Graph 正在節流此應用程式：請等幾分鐘後再重新檢查。',
  'readiness.fix.graph.error':
    'Graph 回應了錯誤：請稍後再重新檢查；若持續發生，請查看 Microsoft 365 服務健康狀態。',
  'readiness.fix.graph.delegated':
    '委派模式：請在 Teams 輸入 `檢查設定`，以您自己的權杖檢查 Graph。',
  'readiness.fix.tenantId': '請把 AZURE_TENANT_ID 設為您的 Entra 租用戶識別碼。',
  'readiness.fix.permission.application':
    '請將應用程式權限 {permission} 授與此應用程式的服務主體（docs/DEPLOY.md 步驟 4）。受控識別可能要等最多 24 小時才會取得新授與的權限。',
  'readiness.fix.permission.delegated':
    '請在登入用的應用程式註冊加入委派權限 {permission} 並授與系統管理員同意（docs/DEPLOY.md 步驟 5），然後重新登入。',
  'readiness.fix.permission.leastPrivilege':
    '目前靠 {broader} 運作，但它給的權限超過所需：請改授與 {permission}，並移除 {broader}。',
  'readiness.fix.permission.groupsNotSet':
    'HELPDESK_GROUP_IDS 與 ADMIN_GROUP_IDS 為空時不需要；設定它們時請授與 {permission}。',
  'readiness.fix.prerequisite.pinResetServicePrincipal':
    '請租用戶系統管理員開啟 {consentUrl}，登入後按「接受」（docs/DEPLOY.md 步驟 6）。',
  'readiness.fix.prerequisite.pinResetClientPrincipal':
    '請租用戶系統管理員開啟 {consentUrl}，登入後按「接受」（docs/DEPLOY.md 步驟 6）。',
  'readiness.fix.prerequisite.enablePinRecoveryProfile':
    '請在 Intune 啟用 PIN 復原：設定目錄原則（Windows Hello 企業版 > 啟用 PIN 復原：true）、身分識別保護設定檔，或 OMA-URI 為 {omaUri} 的 Windows 10 自訂設定檔，資料類型為布林值，值設為 True（docs/DEPLOY.md 步驟 6）。',
  'readiness.fix.prerequisite.enablePinRecoveryAssignment':
    '請把 PIN 復原設定檔或原則指派給手機的使用者群組或裝置群組（docs/DEPLOY.md 步驟 6）。',
  'readiness.fix.prerequisite.androidEnterprisePasscodePolicy':
    '請把要求裝置或工作設定檔密碼的 Android Enterprise 合規性原則或裝置限制設定檔指派給裝置（docs/DEPLOY.md 步驟 6）；沒有它，重設會失敗。',
  'readiness.fix.prerequisite.aospPasscodePolicy':
    '請把要求密碼的 Android（AOSP）合規性原則或裝置限制設定檔指派給裝置（docs/DEPLOY.md 步驟 6）；沒有它，重設會失敗。',
  'readiness.fix.prerequisite.unreadable':
    'Graph 不讓此應用程式讀取這項資料：請授與 Application.Read.All 與 DeviceManagementConfiguration.Read.All（docs/DEPLOY.md 步驟 4）。',
  'readiness.fix.storage.sqlite':
    '請讓 DATA_DIR（{dataDir}）成為此程序能建立並寫入的資料夾，且所在磁碟仍有可用空間。',
  'readiness.fix.storage.blob':
    '請檢查 AZURE_STORAGE_ACCOUNT_URL（或 AZURE_STORAGE_CONNECTION_STRING）與容器 {container}，並確認應用程式的身分在該帳戶具有「儲存體 Blob 資料參與者」角色。',
  'readiness.fix.bot.localDevelopment':
    '在這台電腦上沒問題。若要用於 Teams，請設定 MicrosoftAppId、MicrosoftAppType 與 MicrosoftAppTenantId（非 UserAssignedMSI 時另需 MicrosoftAppPassword）：docs/DEPLOY.md 步驟 2。',
  'readiness.fix.bot.secret':
    '請確認 MicrosoftAppId（{appId}）與 MicrosoftAppPassword 屬於租用戶 {tenantId} 中 Azure Bot 的應用程式註冊，且密碼尚未過期（輪替方式：docs/DEPLOY.md「Operations」）。',
  'readiness.fix.bot.managedIdentity':
    '請確認使用者指派的受控識別 {appId} 已附加到此 Web 應用程式，並且是 Azure Bot 的身分。受控識別只能在 Azure 內使用。',
  'readiness.fix.bot.tenantId':
    '請把 MicrosoftAppTenantId 設為 Bot 註冊所在的租用戶識別碼：MicrosoftAppType={appType} 需要它。',
  'readiness.fix.bot.msiPassword':
    'MicrosoftAppType=UserAssignedMSI 時，MicrosoftAppPassword 請留空。',
};

export const READINESS_MESSAGES: Readonly<
  Record<ReadinessLocale, Readonly<Record<string, string>>>
> = { en, 'zh-TW': zhTW };

/** zh-TW, zh-Hant, zh-HK, zh-MO: Traditional Chinese; anything else: English. */
export function readinessLocale(raw: string | undefined | null): ReadinessLocale {
  const tag = (raw ?? '').trim().toLowerCase().replace(/_/g, '-');
  return /^zh-(tw|hk|mo|hant)(-|$)/.test(tag) ? 'zh-TW' : 'en';
}

/** The message for `key` with {placeholders} filled; an unknown key comes back as itself. */
export function readinessText(
  locale: ReadinessLocale,
  key: string,
  params: Readonly<Record<string, string | number | undefined>> = {},
): string {
  const message = READINESS_MESSAGES[locale][key] ?? READINESS_MESSAGES.en[key] ?? key;
  return message.replace(/\{(\w+)\}/g, (_match, name: string) => {
    const value = params[name];
    return value === undefined || value === '' ? '…' : String(value);
  });
}
