import { handleBatch } from './batch';
import {
  getDeviceConfiguration,
  getOmaSettingPlainTextValue,
  listAssignments,
  listConfigurationPolicies,
  listDeviceConfigurations,
  listPolicyAssignments,
  listPolicySettings,
  OMA_PLAIN_TEXT_SEGMENT,
} from './handlers/deviceConfigurations';
import {
  getDeviceCompliancePolicy,
  listCompliancePolicyAssignments,
  listDeviceCompliancePolicies,
} from './handlers/deviceCompliancePolicies';
import { getManagedDevice, listManagedDevices, resetPasscode } from './handlers/managedDevices';
import {
  getServicePrincipal,
  getServicePrincipalByAppId,
  listServicePrincipals,
  SERVICE_PRINCIPAL_BY_APP_ID,
} from './handlers/servicePrincipals';
import {
  checkMemberGroups,
  getUser,
  listOrganization,
  listTransitiveMemberOf,
} from './handlers/users';
import {
  CHECK_MEMBER_GROUPS,
  READ_CONFIGURATION,
  READ_DEVICES,
  READ_OMA_SECRET,
  READ_ORGANIZATION,
  READ_SERVICE_PRINCIPALS,
  READ_USERS,
  RESET_PASSCODE,
} from './permissions';
import { listUsers } from './handlers/userList';
import type { Route } from './router';

/** The Graph subset the bot uses, below /v1.0 and /beta alike. */
export const ROUTES: readonly Route[] = [
  {
    method: 'GET',
    path: ['deviceManagement', 'managedDevices'],
    handler: listManagedDevices,
    needs: READ_DEVICES,
  },
  {
    method: 'GET',
    path: ['deviceManagement', 'managedDevices', ':id'],
    handler: getManagedDevice,
    needs: READ_DEVICES,
  },
  {
    method: 'POST',
    path: ['deviceManagement', 'managedDevices', ':id', 'resetPasscode'],
    handler: resetPasscode,
    needs: RESET_PASSCODE,
  },
  {
    method: 'GET',
    path: ['deviceManagement', 'deviceConfigurations'],
    handler: listDeviceConfigurations,
    needs: READ_CONFIGURATION,
  },
  {
    method: 'GET',
    path: ['deviceManagement', 'deviceConfigurations', ':id'],
    handler: getDeviceConfiguration,
    needs: READ_CONFIGURATION,
  },
  {
    method: 'GET',
    path: ['deviceManagement', 'deviceConfigurations', ':id', 'assignments'],
    handler: listAssignments,
    needs: READ_CONFIGURATION,
  },
  {
    method: 'GET',
    path: ['deviceManagement', 'deviceConfigurations', ':id', OMA_PLAIN_TEXT_SEGMENT],
    handler: getOmaSettingPlainTextValue,
    needs: READ_OMA_SECRET,
  },
  {
    method: 'GET',
    path: ['deviceManagement', 'deviceCompliancePolicies'],
    handler: listDeviceCompliancePolicies,
    needs: READ_CONFIGURATION,
  },
  {
    method: 'GET',
    path: ['deviceManagement', 'deviceCompliancePolicies', ':id'],
    handler: getDeviceCompliancePolicy,
    needs: READ_CONFIGURATION,
  },
  {
    method: 'GET',
    path: ['deviceManagement', 'deviceCompliancePolicies', ':id', 'assignments'],
    handler: listCompliancePolicyAssignments,
    needs: READ_CONFIGURATION,
  },
  {
    method: 'GET',
    path: ['deviceManagement', 'configurationPolicies'],
    handler: listConfigurationPolicies,
    needs: READ_CONFIGURATION,
  },
  {
    method: 'GET',
    path: ['deviceManagement', 'configurationPolicies', ':id', 'settings'],
    handler: listPolicySettings,
    needs: READ_CONFIGURATION,
  },
  {
    method: 'GET',
    path: ['deviceManagement', 'configurationPolicies', ':id', 'assignments'],
    handler: listPolicyAssignments,
    needs: READ_CONFIGURATION,
  },
  {
    method: 'GET',
    path: ['servicePrincipals'],
    handler: listServicePrincipals,
    needs: READ_SERVICE_PRINCIPALS,
  },
  {
    method: 'GET',
    path: [SERVICE_PRINCIPAL_BY_APP_ID],
    handler: getServicePrincipalByAppId,
    needs: READ_SERVICE_PRINCIPALS,
  },
  {
    method: 'GET',
    path: ['servicePrincipals', ':id'],
    handler: getServicePrincipal,
    needs: READ_SERVICE_PRINCIPALS,
  },
  { method: 'GET', path: ['users'], handler: listUsers, needs: READ_USERS },
  { method: 'GET', path: ['users', ':user'], handler: getUser, needs: READ_USERS },
  {
    method: 'POST',
    path: ['users', ':user', 'checkMemberGroups'],
    handler: checkMemberGroups,
    needs: CHECK_MEMBER_GROUPS,
  },
  {
    method: 'GET',
    path: ['users', ':user', 'transitiveMemberOf'],
    handler: listTransitiveMemberOf,
    needs: READ_USERS,
  },
  { method: 'GET', path: ['organization'], handler: listOrganization, needs: READ_ORGANIZATION },
  { method: 'POST', path: ['$batch'], handler: handleBatch },
];
