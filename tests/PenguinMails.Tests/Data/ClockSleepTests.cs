using System.Text.RegularExpressions;
using Microsoft.Extensions.Time.Testing;
using PenguinMails.Data;
using PenguinMails.Tests.Infrastructure;

namespace PenguinMails.Tests.Data;

/// <summary>
/// Background loops sleep until a moment on the injected clock (<see cref="ClockSleep"/>): a clock that moves between
/// the loop's reading of it and the timer's creation must not make the loop sleep past its deadline — with a clock a
/// test advances, for ever (the cause of a webhook retry test that waited 10 s for an attempt already due).
/// </summary>
public sealed class ClockSleepTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(5); // real time; every sleep here ends at once or never

    [Fact]
    public async Task ADeadlineTheClockPassesBeforeTheTimerExists_EndsTheSleepAtOnce()
    {
        // The clock is read (deadline 1 s ahead), then moves 1 s, then the timer is made: exactly the race.
        var clock = new ClockThatMovesAfterARead(secondsAfterRead: 1);
        var until = clock.GetUtcNow() + TimeSpan.FromSeconds(1);
        clock.Arm();

        var woken = await clock.SleepUntilAsync(until, new TaskCompletionSource().Task, CancellationToken.None).WaitAsync(Patience);

        Assert.False(woken);
        Assert.True(clock.Moved);
    }

    [Fact]
    public async Task ASleep_EndsWhenTheClockReachesTheDeadline_NotBefore_OrWhenWoken()
    {
        var clock = new FakeTimeProvider();
        var until = clock.GetUtcNow() + TimeSpan.FromSeconds(2);
        var sleeping = clock.SleepUntilAsync(until, CancellationToken.None);

        clock.Advance(TimeSpan.FromSeconds(1.5));
        await Task.Delay(50);
        Assert.False(sleeping.IsCompleted);
        clock.Advance(TimeSpan.FromSeconds(0.5));
        await sleeping.WaitAsync(Patience);

        var wake = new TaskCompletionSource();
        var woken = clock.SleepUntilAsync(clock.GetUtcNow() + TimeSpan.FromHours(1), wake.Task, CancellationToken.None);
        wake.SetResult();
        Assert.True(await woken.WaitAsync(Patience));
        Assert.False(await clock.SleepUntilAsync(clock.GetUtcNow(), new TaskCompletionSource().Task, CancellationToken.None).WaitAsync(Patience));
    }

    [Fact]
    public async Task Stopping_EndsTheSleep_WithACancellation()
    {
        var clock = new FakeTimeProvider();
        using var stop = new CancellationTokenSource();
        var sleeping = clock.SleepUntilAsync(clock.GetUtcNow() + TimeSpan.FromHours(1), stop.Token);

        await stop.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => sleeping.WaitAsync(Patience));
    }

    /// <summary>The kind, in every loop: no code in the server sleeps for a span on the injected clock; each sleeps until a
    /// moment through <see cref="ClockSleep"/>, with its deadline read before its work.</summary>
    [Fact]
    public void NoBackgroundLoop_SleepsForASpanOnTheInjectedClock()
    {
        var source = Path.Combine(Checkout.Root(), "src", "PenguinMails");
        var spanOnTheClock = new Regex(@"Task\.Delay\([^;]*,\s*_?[Tt]ime\b");
        var offenders = Directory.EnumerateFiles(source, "*.cs", SearchOption.AllDirectories)
            .Where(file => !file.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}") && !file.EndsWith("ClockSleep.cs", StringComparison.Ordinal))
            .Where(file => spanOnTheClock.IsMatch(File.ReadAllText(file)))
            .Select(Path.GetFileName)
            .ToList();

        Assert.Empty(offenders);
    }

    /// <summary>A fake clock that, once armed, moves forward right after the next reading of it — before the caller can
    /// make its timer, as a test's <c>Advance</c> on another thread can.</summary>
    private sealed class ClockThatMovesAfterARead(int secondsAfterRead) : TimeProvider
    {
        private readonly FakeTimeProvider _inner = new();
        private bool _armed;

        public bool Moved { get; private set; }

        public void Arm() => _armed = true;

        public override DateTimeOffset GetUtcNow()
        {
            var now = _inner.GetUtcNow();
            if (_armed)
            {
                (_armed, Moved) = (false, true);
                _inner.Advance(TimeSpan.FromSeconds(secondsAfterRead));
            }

            return now;
        }

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
            _inner.CreateTimer(callback, state, dueTime, period);
    }
}
