import { createHmac, timingSafeEqual } from "node:crypto";

/** A webhook delivery the signature check refused: missing headers, a timestamp out of tolerance, no matching signature. */
export class WebhookVerificationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "WebhookVerificationError";
  }
}

export interface WebhookOptions {
  /** How far (seconds) the `webhook-timestamp` may be from now, either way; default 300 (5 minutes). */
  toleranceSeconds?: number;
  /** The current time; default the clock. */
  now?: () => Date;
}

/** Request headers as Node's http module, fetch's Headers, or a plain object give them. */
export type WebhookHeaders = Headers | Record<string, string | string[] | undefined>;

/**
 * Verifies deliveries of PenguinMails webhooks (Standard Webhooks, https://www.standardwebhooks.com): `webhook-id`,
 * `webhook-timestamp` within the tolerance and a `webhook-signature` (space-separated `v1,<base64>`, any one matching)
 * that is the HMAC-SHA256 of `id.timestamp.body` with the base64 part of the endpoint's `whsec_…` secret, compared in
 * constant time. Pass the raw body exactly as received (a string or bytes), not re-serialised JSON.
 */
export class Webhook {
  readonly #key: Buffer;
  readonly #toleranceSeconds: number;
  readonly #now: () => Date;

  constructor(secret: string, options: WebhookOptions = {}) {
    if (typeof secret !== "string" || secret.length === 0) throw new TypeError("The webhook secret (whsec_…) is required.");
    const encoded = secret.startsWith("whsec_") ? secret.slice("whsec_".length) : secret;
    this.#key = Buffer.from(encoded, "base64");
    if (this.#key.length === 0) throw new TypeError("The webhook secret is not base64 after its whsec_ prefix.");
    this.#toleranceSeconds = options.toleranceSeconds ?? 300;
    this.#now = options.now ?? (() => new Date());
  }

  /** The parsed event when the delivery is authentic; throws WebhookVerificationError otherwise. */
  verify<T = unknown>(payload: string | Uint8Array, headers: WebhookHeaders): T {
    const id = header(headers, "webhook-id");
    const timestamp = header(headers, "webhook-timestamp");
    const signatures = header(headers, "webhook-signature");
    if (!id || !timestamp || !signatures) {
      throw new WebhookVerificationError("Missing webhook-id, webhook-timestamp or webhook-signature header.");
    }
    if (!/^\d+$/.test(timestamp)) throw new WebhookVerificationError("The webhook-timestamp is not a Unix time in seconds.");
    const age = Math.floor(this.#now().getTime() / 1000) - Number(timestamp);
    if (age > this.#toleranceSeconds) throw new WebhookVerificationError("The webhook-timestamp is too old.");
    if (age < -this.#toleranceSeconds) throw new WebhookVerificationError("The webhook-timestamp is too far in the future.");

    const body = typeof payload === "string" ? Buffer.from(payload, "utf8") : Buffer.from(payload);
    const expected = createHmac("sha256", this.#key).update(`${id}.${timestamp}.`).update(body).digest();
    const matches = signatures.split(" ").some((entry) => {
      const [version, signature] = entry.split(",", 2);
      if (version !== "v1" || !signature) return false;
      const given = Buffer.from(signature, "base64");
      return given.length === expected.length && timingSafeEqual(given, expected);
    });
    if (!matches) throw new WebhookVerificationError("No webhook-signature matches the payload.");
    try {
      return JSON.parse(body.toString("utf8")) as T;
    } catch {
      throw new WebhookVerificationError("The payload is signed but is not JSON.");
    }
  }
}

/** Verifies one delivery with `secret` (see Webhook): the parsed event, or a WebhookVerificationError. */
export function verifyWebhook<T = unknown>(payload: string | Uint8Array, headers: WebhookHeaders, secret: string, options: WebhookOptions = {}): T {
  return new Webhook(secret, options).verify<T>(payload, headers);
}

function header(headers: WebhookHeaders, name: string): string | undefined {
  if (typeof (headers as Headers).get === "function") return (headers as Headers).get(name) ?? undefined;
  const record = headers as Record<string, string | string[] | undefined>;
  const key = Object.keys(record).find((k) => k.toLowerCase() === name);
  const value = key === undefined ? undefined : record[key];
  return Array.isArray(value) ? value[0] : value;
}
