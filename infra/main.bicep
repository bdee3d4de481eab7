// Passcode Desk on Azure: App Service (Linux, Node 22 LTS), an Azure Bot with the Teams channel,
// a Storage account for shared state (STORAGE=blob), a user-assigned managed identity used by the
// bot, Graph and Storage, and optional Application Insights. docs/DEPLOY.md walks through it.
// Validate: az bicep build --file infra/main.bicep

targetScope = 'resourceGroup'

@description('Short name from which resource names are derived: lowercase letters, digits and dashes.')
@minLength(3)
@maxLength(20)
param baseName string = 'passcodedesk'

@description('Region of every resource except the Azure Bot, which is always global.')
param location string = resourceGroup().location

@description('Tags put on every resource.')
param tags object = {}

@description('App Service plan SKU. Always On needs Basic (B1) or higher.')
@allowed([
  'B1'
  'B2'
  'S1'
  'P0v3'
  'P1v3'
])
param appServicePlanSku string = 'B1'

@description('Number of app instances. More than one is safe because the state lives in Blob Storage.')
@minValue(1)
@maxValue(10)
param instanceCount int = 1

@description('Azure Bot pricing tier.')
@allowed([
  'F0'
  'S1'
])
param botSku string = 'F0'

@description('Bot identity: UserAssignedMSI (the managed identity below, no secret) or SingleTenant (an app registration with a secret: botAppId and botAppPassword).')
@allowed([
  'UserAssignedMSI'
  'SingleTenant'
])
param botAppType string = 'UserAssignedMSI'

@description('SingleTenant only: the client id of the bot app registration.')
param botAppId string = ''

@description('SingleTenant only: a client secret of the bot app registration.')
@secure()
param botAppPassword string = ''

@description('How the app calls Microsoft Graph: app (application permissions of the managed identity) or delegated (the technician token from the bot OAuth connection).')
@allowed([
  'app'
  'delegated'
])
param graphAuth string = 'app'

@description('Comma-separated tenant ids whose users may talk to the bot. Empty: the tenant of this deployment.')
param allowedTenantIds string = ''

@description('Comma-separated object ids of the Entra groups whose members may reset passcodes.')
param helpdeskGroupIds string

@description('Comma-separated object ids of the Entra groups of helpdesk admins (audit, notify here). May be empty.')
param adminGroupIds string = ''

@description('Minutes before a delivered passcode is hidden in the technician chat.')
@minValue(1)
@maxValue(1440)
param passcodeVisibleMinutes int = 10

@description('Optional Teams channel conversation id for failure and timeout notifications.')
param helpdeskChannelId string = ''

@description('The Bot Framework service URL for that channel; needed with helpdeskChannelId.')
param helpdeskServiceUrl string = ''

@description('Blob container holding the bot state and audit.')
@minLength(3)
@maxLength(63)
param storageContainerName string = 'passcode-desk'

@description('Create a Log Analytics workspace and Application Insights and send telemetry and logs there.')
param enableAppInsights bool = true

@description('More app settings by name, for example {"LOG_LEVEL": "info"}. Only names the app reads (docs/DEPLOY.md). Set here, not by hand: each deployment replaces all app settings.')
param additionalAppSettings object = {}

var nameSuffix = uniqueString(resourceGroup().id)
var webAppResourceName = '${baseName}-${nameSuffix}'
var planResourceName = '${baseName}-plan'
var identityResourceName = '${baseName}-id'
var botResourceName = '${baseName}-bot-${nameSuffix}'
var storageResourceName = take('${toLower(replace(baseName, '-', ''))}${nameSuffix}', 24)
var logAnalyticsResourceName = '${baseName}-logs'
var appInsightsResourceName = '${baseName}-ai'
var deploymentTenantId = tenant().tenantId
var useBotAppRegistration = botAppType == 'SingleTenant'
var storageBlobDataContributorRoleId = 'ba92f5b4-2d11-453d-a403-e96b0029c9fe'

resource appIdentity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: identityResourceName
  location: location
  tags: tags
}

resource storage 'Microsoft.Storage/storageAccounts@2023-01-01' = {
  name: storageResourceName
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: {
    name: 'Standard_LRS'
  }
  properties: {
    accessTier: 'Hot'
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    allowBlobPublicAccess: false
    // The app signs in with the managed identity (AZURE_STORAGE_ACCOUNT_URL); no keys are needed.
    allowSharedKeyAccess: false
    defaultToOAuthAuthentication: true
  }
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2023-01-01' = {
  parent: storage
  name: 'default'
}

resource stateContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-01-01' = {
  parent: blobService
  name: storageContainerName
  properties: {
    publicAccess: 'None'
  }
}

resource storageBlobDataContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage.id, appIdentity.id, storageBlobDataContributorRoleId)
  scope: storage
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageBlobDataContributorRoleId)
    principalId: appIdentity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

resource logAnalytics 'Microsoft.OperationalInsights/workspaces@2022-10-01' = if (enableAppInsights) {
  name: logAnalyticsResourceName
  location: location
  tags: tags
  properties: {
    sku: {
      name: 'PerGB2018'
    }
    retentionInDays: 30
  }
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' = if (enableAppInsights) {
  name: appInsightsResourceName
  location: location
  tags: tags
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: logAnalytics.id
  }
}

// Each entry names a setting the app reads (src/config.ts) or a platform setting of App Service.
var coreAppSettings = [
  {
    name: 'MicrosoftAppId'
    value: useBotAppRegistration ? botAppId : appIdentity.properties.clientId
  }
  {
    name: 'MicrosoftAppType'
    value: botAppType
  }
  {
    name: 'MicrosoftAppTenantId'
    value: deploymentTenantId
  }
  {
    name: 'GRAPH_AUTH'
    value: graphAuth
  }
  {
    name: 'AZURE_USE_MANAGED_IDENTITY'
    value: 'true'
  }
  {
    name: 'AZURE_CLIENT_ID'
    value: appIdentity.properties.clientId
  }
  {
    name: 'AZURE_TENANT_ID'
    value: deploymentTenantId
  }
  {
    name: 'STORAGE'
    value: 'blob'
  }
  {
    name: 'AZURE_STORAGE_ACCOUNT_URL'
    value: 'https://${storage.name}.blob.${environment().suffixes.storage}'
  }
  {
    name: 'AZURE_STORAGE_CONTAINER'
    value: storageContainerName
  }
  {
    name: 'ALLOWED_TENANT_IDS'
    value: empty(allowedTenantIds) ? deploymentTenantId : allowedTenantIds
  }
  {
    name: 'HELPDESK_GROUP_IDS'
    value: helpdeskGroupIds
  }
  {
    name: 'ADMIN_GROUP_IDS'
    value: adminGroupIds
  }
  {
    name: 'PASSCODE_VISIBLE_MINUTES'
    value: string(passcodeVisibleMinutes)
  }
  {
    name: 'HELPDESK_CHANNEL_ID'
    value: helpdeskChannelId
  }
  {
    name: 'HELPDESK_SERVICE_URL'
    value: helpdeskServiceUrl
  }
  {
    name: 'HOST'
    value: '0.0.0.0'
  }
  {
    // Oryx runs npm install and npm run build at deployment; the start command only runs dist/.
    name: 'SCM_DO_BUILD_DURING_DEPLOYMENT'
    value: 'true'
  }
  {
    // App Service waits 5 s after SIGTERM by default; a graceful stop (turns in flight, lease
    // release) takes up to 45 s (src/index.ts), so wait 60 s before SIGKILL (maximum 120).
    name: 'WEBSITES_CONTAINER_STOP_TIME_LIMIT'
    value: '60'
  }
]

var botSecretAppSettings = useBotAppRegistration ? [
  {
    name: 'MicrosoftAppPassword'
    value: botAppPassword
  }
] : []

// The app exports its own telemetry (OpenTelemetry) when this is set; no App Service agent,
// which would report every request a second time.
var monitoringAppSettings = enableAppInsights ? [
  {
    name: 'APPLICATIONINSIGHTS_CONNECTION_STRING'
    value: appInsights.properties.ConnectionString
  }
] : []

var extraAppSettings = [for setting in items(additionalAppSettings): {
  name: setting.key
  value: string(setting.value)
}]

var appSettings = concat(coreAppSettings, botSecretAppSettings, monitoringAppSettings, extraAppSettings)

resource plan 'Microsoft.Web/serverfarms@2023-01-01' = {
  name: planResourceName
  location: location
  tags: tags
  kind: 'linux'
  sku: {
    name: appServicePlanSku
    capacity: instanceCount
  }
  properties: {
    reserved: true
  }
}

resource webApp 'Microsoft.Web/sites@2023-01-01' = {
  name: webAppResourceName
  location: location
  tags: tags
  kind: 'app,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${appIdentity.id}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    clientAffinityEnabled: false
    siteConfig: {
      linuxFxVersion: 'NODE|22-lts'
      // The build already ran at deployment (SCM_DO_BUILD_DURING_DEPLOYMENT). Not npm run start:bot:
      // it compiles again on every start, into /home/site/wwwroot, which all instances share.
      appCommandLine: 'node dist/src/index.js'
      alwaysOn: true
      healthCheckPath: '/healthz'
      http20Enabled: true
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
      appSettings: appSettings
    }
  }
  // The app opens the container at start-up with the identity's role.
  dependsOn: [
    stateContainer
    storageBlobDataContributor
  ]
}

resource webAppDiagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = if (enableAppInsights) {
  name: 'to-log-analytics'
  scope: webApp
  properties: {
    workspaceId: logAnalytics.id
    logs: [
      {
        category: 'AppServiceConsoleLogs'
        enabled: true
      }
      {
        category: 'AppServiceHTTPLogs'
        enabled: true
      }
      {
        category: 'AppServicePlatformLogs'
        enabled: true
      }
    ]
  }
}

var botEndpointUrl = 'https://${webApp.properties.defaultHostName}/api/messages'

resource bot 'Microsoft.BotService/botServices@2022-09-15' = {
  name: botResourceName
  location: 'global'
  tags: tags
  kind: 'azurebot'
  sku: {
    name: botSku
  }
  properties: {
    displayName: 'Passcode Desk'
    endpoint: botEndpointUrl
    msaAppId: useBotAppRegistration ? botAppId : appIdentity.properties.clientId
    msaAppType: botAppType
    msaAppTenantId: deploymentTenantId
    msaAppMSIResourceId: useBotAppRegistration ? null : appIdentity.id
  }
}

resource teamsChannel 'Microsoft.BotService/botServices/channels@2022-09-15' = {
  parent: bot
  name: 'MsTeamsChannel'
  location: 'global'
  properties: {
    channelName: 'MsTeamsChannel'
    properties: {
      isEnabled: true
    }
  }
}

output botEndpoint string = botEndpointUrl
output appHostname string = webApp.properties.defaultHostName
output webAppName string = webApp.name
output botName string = bot.name
output storageAccountName string = storage.name
output microsoftAppId string = useBotAppRegistration ? botAppId : appIdentity.properties.clientId
output managedIdentityClientId string = appIdentity.properties.clientId
output managedIdentityPrincipalId string = appIdentity.properties.principalId
output tenantId string = deploymentTenantId

// The Microsoft Graph permissions the app needs, least privileged (src/intune/permissions.ts;
// README and docs/DEPLOY.md list the same, test/infra/permissionsAgree.test.ts keeps them equal).
// Bicep cannot grant Graph app roles: docs/DEPLOY.md step 4 grants these to the managed identity.
output graphApplicationPermissions array = [
  'DeviceManagementManagedDevices.Read.All'
  'DeviceManagementManagedDevices.PrivilegedOperations.All'
  'User.Read.All'
  'GroupMember.Read.All'
  'Application.Read.All'
  'DeviceManagementConfiguration.Read.All'
]
// GRAPH_AUTH=delegated: the scopes of the sign-in app registration (docs/DEPLOY.md step 5).
output graphDelegatedPermissions array = [
  'DeviceManagementManagedDevices.Read.All'
  'DeviceManagementManagedDevices.PrivilegedOperations.All'
  'User.ReadBasic.All'
  'GroupMember.Read.All'
  'Application.Read.All'
  'DeviceManagementConfiguration.Read.All'
]
