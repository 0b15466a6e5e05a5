import {
  AccountResource,
  AnalyticsResource,
  ApiKeysResource,
  AuditLogResource,
  CampaignsResource,
  ContactsResource,
  DomainsResource,
  EmailsResource,
  EspResource,
  SuppressionsResource,
  TemplatesResource,
  UsageResource,
  WebhooksResource,
} from "./resources.js";
import { Transport, type RequestInfo, type RetryInfo } from "./transport.js";

/** The client's settings; every one is optional. */
export interface ClientOptions {
  /** The server's base URL; default `http://localhost:5080` (a self-hosted server's default). */
  baseUrl?: string;
  /** Retries after a retryable failure (see README "Retries"); default 2. */
  maxRetries?: number;
  /** Ceiling of the first retry's random delay, in ms (doubling for each next retry); default 500. */
  initialRetryDelayMs?: number;
  /** Longest wait between attempts, in ms; a Retry-After longer than this is not waited for; default 30 000. */
  maxRetryDelayMs?: number;
  /** Time limit of each attempt, in ms; default 60 000. */
  timeoutMs?: number;
  /** Headers sent with every request (never `Authorization`: the key is). */
  headers?: Record<string, string>;
  /** The fetch implementation; default the global `fetch` of Node 20. */
  fetch?: typeof fetch;
  /** Called before every attempt (metrics, tests). */
  onRequest?: (info: RequestInfo) => void;
  /** Called before each retry's wait, with the failure and the delay. */
  onRetry?: (info: RetryInfo) => void;
}

/**
 * The PenguinMails API client. `new Client('pm_live_…', { baseUrl: 'https://mail.example.com' })`, then one property
 * per resource: `client.emails.send({...})`, `client.contacts.listAll({...})`… The key is sent as
 * `Authorization: Bearer <key>` and is never logged, printed or put in an error.
 */
export class Client {
  readonly account: AccountResource;
  readonly apiKeys: ApiKeysResource;
  readonly auditLog: AuditLogResource;
  readonly contacts: ContactsResource;
  readonly emails: EmailsResource;
  readonly campaigns: CampaignsResource;
  readonly analytics: AnalyticsResource;
  readonly usage: UsageResource;
  readonly templates: TemplatesResource;
  readonly suppressions: SuppressionsResource;
  readonly esp: EspResource;
  readonly domains: DomainsResource;
  readonly webhooks: WebhooksResource;
  /** The base URL requests go to, without a trailing slash. */
  readonly baseUrl: string;

  constructor(apiKey: string, options: ClientOptions = {}) {
    if (typeof apiKey !== "string" || apiKey.trim().length === 0) {
      throw new TypeError("An API key is required: new Client('pm_live_…'). Create one in the portal or with `penguinmails keys create`.");
    }
    if (/[\s]/.test(apiKey)) throw new TypeError("The API key contains whitespace: copy it again without spaces or line breaks.");
    const baseUrl = (options.baseUrl ?? "http://localhost:5080").replace(/\/+$/, "");
    if (!/^https?:\/\/[^/]+/.test(baseUrl)) throw new TypeError("baseUrl must be an http(s) URL, e.g. https://mail.example.com");
    const fetchImpl = options.fetch ?? globalThis.fetch;
    if (typeof fetchImpl !== "function") throw new TypeError("No fetch available: use Node 20 or later, or pass options.fetch.");
    this.baseUrl = baseUrl;
    const transport = new Transport(apiKey, {
      baseUrl,
      maxRetries: nonNegative(options.maxRetries, 2, "maxRetries"),
      initialRetryDelayMs: nonNegative(options.initialRetryDelayMs, 500, "initialRetryDelayMs"),
      maxRetryDelayMs: nonNegative(options.maxRetryDelayMs, 30_000, "maxRetryDelayMs"),
      timeoutMs: nonNegative(options.timeoutMs, 60_000, "timeoutMs"),
      headers: options.headers ?? {},
      fetch: fetchImpl,
      onRequest: options.onRequest,
      onRetry: options.onRetry,
      random: Math.random,
    });
    this.account = new AccountResource(transport);
    this.apiKeys = new ApiKeysResource(transport);
    this.auditLog = new AuditLogResource(transport);
    this.contacts = new ContactsResource(transport);
    this.emails = new EmailsResource(transport);
    this.campaigns = new CampaignsResource(transport);
    this.analytics = new AnalyticsResource(transport);
    this.usage = new UsageResource(transport);
    this.templates = new TemplatesResource(transport);
    this.suppressions = new SuppressionsResource(transport);
    this.esp = new EspResource(transport);
    this.domains = new DomainsResource(transport);
    this.webhooks = new WebhooksResource(transport);
  }

  /** What console.log and util.inspect show: the base URL, never the key. */
  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return `PenguinMails.Client { baseUrl: '${this.baseUrl}' }`;
  }

  toJSON(): { baseUrl: string } {
    return { baseUrl: this.baseUrl };
  }
}

function nonNegative(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value < 0) throw new TypeError(`${name} must be a number >= 0`);
  return value;
}
