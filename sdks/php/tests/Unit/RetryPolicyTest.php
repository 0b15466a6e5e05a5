<?php

declare(strict_types=1);

namespace PenguinMails\Tests\Unit;

use PenguinMails\RetryPolicy;
use PHPUnit\Framework\TestCase;

/** Backoff with full jitter, and reading Retry-After (RFC 9110 section 10.2.3). */
final class RetryPolicyTest extends TestCase
{
    public function test_the_backoff_ceiling_doubles_from_the_initial_delay_up_to_the_max_delay(): void
    {
        $policy = new RetryPolicy(maxRetries: 10, initialDelay: 0.5, maxDelay: 30.0);
        $ceilings = array_map(static fn (int $retry): float => $policy->backoff($retry, 1.0), range(0, 8));
        self::assertSame([0.5, 1.0, 2.0, 4.0, 8.0, 16.0, 30.0, 30.0, 30.0], $ceilings);
        self::assertSame(30.0, $policy->backoff(500, 1.0));
    }

    public function test_full_jitter_scales_the_ceiling_by_the_random_unit(): void
    {
        $policy = new RetryPolicy(initialDelay: 0.5);
        self::assertSame(0.0, $policy->backoff(2, 0.0));
        self::assertSame(1.0, $policy->backoff(2, 0.5));
        self::assertSame(0.5, $policy->backoff(0, 1.7), 'a unit above 1 is clamped');
    }

    public function test_random_delays_stay_within_the_ceiling_and_vary(): void
    {
        $policy = new RetryPolicy(initialDelay: 0.5, maxDelay: 3.0);
        $delays = array_map(static fn (): ?float => $policy->delay(3, null), range(1, 200));
        foreach ($delays as $delay) {
            self::assertNotNull($delay);
            self::assertGreaterThanOrEqual(0.0, $delay);
            self::assertLessThanOrEqual(3.0, $delay);
        }
        self::assertGreaterThan(150, count(array_unique($delays)), 'the jitter is not random');
        self::assertLessThan(2.0, abs(array_sum($delays) / count($delays) - 1.5), 'the mean of full jitter over [0, 3] is near 1.5');
    }

    public function test_retry_after_replaces_the_backoff_up_to_max_retry_after(): void
    {
        $policy = new RetryPolicy(maxDelay: 1.0, maxRetryAfter: 60.0);
        self::assertSame(7.0, $policy->delay(0, 7.0), 'Retry-After is honoured even above max_delay');
        self::assertSame(0.0, $policy->delay(4, 0.0));
        self::assertSame(60.0, $policy->delay(0, 60.0));
        self::assertNull($policy->delay(0, 61.0), 'a longer wait is not retried');
    }

    public function test_retry_after_in_seconds(): void
    {
        self::assertSame(3.0, RetryPolicy::parseRetryAfter('3'));
        self::assertSame(0.0, RetryPolicy::parseRetryAfter(' 0 '));
        self::assertSame(120.0, RetryPolicy::parseRetryAfter('120'));
    }

    public function test_retry_after_as_an_http_date(): void
    {
        $now = gmmktime(7, 28, 0, 10, 21, 2026);
        self::assertSame(10.0, RetryPolicy::parseRetryAfter('Wed, 21 Oct 2026 07:28:10 GMT', $now));
        self::assertSame(0.0, RetryPolicy::parseRetryAfter('Wed, 21 Oct 2026 07:27:00 GMT', $now), 'a date already past means now');
    }

    public function test_unreadable_retry_after_is_ignored(): void
    {
        foreach ([null, '', '-1', '1.5', 'soon', 'Wed, 99 Foo 2026 07:28:00 GMT'] as $value) {
            self::assertNull(RetryPolicy::parseRetryAfter($value), var_export($value, true));
        }
    }

    public function test_negative_settings_are_refused(): void
    {
        $this->expectException(\InvalidArgumentException::class);
        new RetryPolicy(maxRetries: -1);
    }
}
