/**
 * `@penguinmails/sdk`: the PenguinMails API client for Node.js 20+.
 *
 *   const penguinmails = require('@penguinmails/sdk');
 *   const client = new penguinmails.Client('pm_live_...');
 *   await client.emails.send({ to: 'user@example.com', subject: 'Hello', html_body: '<h1>Hello World</h1>' });
 *
 * or `import { Client } from '@penguinmails/sdk'` (also the default export's `Client`).
 */
import { Client } from "./client.js";
import {
  AuthenticationError,
  ConflictError,
  ConnectionError,
  NotFoundError,
  PenguinMailsError,
  PermissionDeniedError,
  RateLimitError,
  ServerError,
  ValidationError,
} from "./errors.js";
import { VERSION } from "./version.js";
import { Webhook, WebhookVerificationError, verifyWebhook } from "./webhooks.js";

export { Client, type ClientOptions } from "./client.js";
export {
  AuthenticationError,
  ConflictError,
  ConnectionError,
  NotFoundError,
  PenguinMailsError,
  PermissionDeniedError,
  RateLimitError,
  ServerError,
  ValidationError,
  type ErrorDetail,
} from "./errors.js";
export { backoffDelay, isRetryable, parseRetryAfter } from "./retry.js";
export type { ContactImportData, ImportOptions, Page, Pagination, RequestInfo, RequestOptions, RetryInfo } from "./transport.js";
export { VERSION } from "./version.js";
export { Webhook, WebhookVerificationError, verifyWebhook, type WebhookHeaders, type WebhookOptions } from "./webhooks.js";
export * from "./resources.js";
export type * from "./types.js";

/** The default export: the same names, for `import penguinmails from '@penguinmails/sdk'; new penguinmails.Client(…)`. */
const penguinmails = {
  Client,
  PenguinMailsError,
  AuthenticationError,
  PermissionDeniedError,
  NotFoundError,
  ValidationError,
  ConflictError,
  RateLimitError,
  ServerError,
  ConnectionError,
  Webhook,
  WebhookVerificationError,
  verifyWebhook,
  VERSION,
};
export default penguinmails;
