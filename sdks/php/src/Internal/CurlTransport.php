<?php

declare(strict_types=1);

namespace PenguinMails\Internal;

/**
 * @internal Sends one request with ext-curl. One handle is kept so connections are reused (keep-alive).
 * The Authorization header is built here from a closure holding the key, so the key never travels as a
 * function argument (stack traces) nor sits in a plain property (var_export, array casts).
 */
final class CurlTransport
{
    /** curl errors after which the request surely never reached the server. */
    private const NEVER_CONNECTED = [
        CURLE_COULDNT_RESOLVE_PROXY,
        CURLE_COULDNT_RESOLVE_HOST,
        CURLE_COULDNT_CONNECT,
    ];

    private ?\CurlHandle $handle = null;

    /** @param \Closure(): string $authorization gives the `Authorization` header value */
    public function __construct(
        private readonly \Closure $authorization,
        private readonly float $timeout,
        private readonly float $connectTimeout,
        private readonly string $userAgent,
    ) {
    }

    /**
     * @param array<string, string> $headers extra request headers (no Authorization)
     * @param bool $fresh use a new connection: libcurl silently sends a request again when a reused keep-alive
     *   connection turns out dead, which must never happen to a request that is not safe to repeat
     * @throws TransportFailure when no HTTP answer came
     */
    public function send(string $method, string $url, array $headers, ?string $body, bool $fresh = false): RawResponse
    {
        $handle = $this->handle ??= curl_init();
        curl_reset($handle);

        $lines = ['Authorization: ' . ($this->authorization)(), 'User-Agent: ' . $this->userAgent, 'Expect:'];
        foreach ($headers as $name => $value) {
            $lines[] = $name . ': ' . $value;
        }
        $responseHeaders = [];
        curl_setopt_array($handle, [
            CURLOPT_URL => $url,
            CURLOPT_CUSTOMREQUEST => $method,
            CURLOPT_HTTPHEADER => $lines,
            CURLOPT_RETURNTRANSFER => true,
            CURLOPT_FOLLOWLOCATION => false,
            CURLOPT_PROTOCOLS => CURLPROTO_HTTP | CURLPROTO_HTTPS,
            CURLOPT_TIMEOUT_MS => (int) ($this->timeout * 1000),
            CURLOPT_CONNECTTIMEOUT_MS => (int) ($this->connectTimeout * 1000),
            CURLOPT_ENCODING => '',
            CURLOPT_FRESH_CONNECT => $fresh,
            CURLOPT_HEADERFUNCTION => static function ($ch, string $line) use (&$responseHeaders): int {
                if (str_starts_with($line, 'HTTP/')) {
                    $responseHeaders = []; // a new header block (after 1xx): keep only the last
                } elseif (str_contains($line, ':')) {
                    [$name, $value] = explode(':', $line, 2);
                    $responseHeaders[strtolower(trim($name))] = trim($value);
                }
                return strlen($line);
            },
        ]);
        if ($body !== null) {
            curl_setopt($handle, CURLOPT_POSTFIELDS, $body);
        } elseif ($method === 'POST' || $method === 'PUT' || $method === 'PATCH') {
            curl_setopt($handle, CURLOPT_POSTFIELDS, '');
        }

        $result = curl_exec($handle);
        $errno = curl_errno($handle);
        if ($result === false || $errno !== 0) {
            $neverConnected = in_array($errno, self::NEVER_CONNECTED, true)
                // a timeout before the transfer began is a connect timeout: nothing was sent
                || ($errno === CURLE_OPERATION_TIMEDOUT && (int) curl_getinfo($handle, CURLINFO_PRETRANSFER_TIME_T) === 0);
            throw new TransportFailure(sprintf('%s %s: %s (curl error %d)', $method, self::withoutQuery($url), curl_error($handle), $errno), $neverConnected);
        }
        return new RawResponse((int) curl_getinfo($handle, CURLINFO_RESPONSE_CODE), $responseHeaders, (string) $result);
    }

    private static function withoutQuery(string $url): string
    {
        $at = strpos($url, '?');
        return $at === false ? $url : substr($url, 0, $at);
    }

    /** @return array<string, mixed> */
    public function __debugInfo(): array
    {
        return ['timeout' => $this->timeout, 'connectTimeout' => $this->connectTimeout, 'userAgent' => $this->userAgent];
    }
}
