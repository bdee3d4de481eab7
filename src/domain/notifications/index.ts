/**
 * domain/notifications: notices to people (failed, timed out, sign in needed), with their outbox
 * and retries. What code outside the folder may use.
 */
export { sendNotificationsIfDue } from './notificationOutbox';
export { BOTH_AUDIENCES, finalNoticeAudiences, queueNotifications } from './notificationQueue';
export { awaitSignIn, requesterIntune } from './signInWait';
