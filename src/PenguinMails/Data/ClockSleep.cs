namespace PenguinMails.Data;

/// <summary>
/// Sleeps on the injected clock until a moment, never for a span: how every background loop waits. A loop reads the
/// clock, does its work (a claim judged due "now"), then sleeps; a span measured from the timer's creation would lose
/// whatever the clock moved during the work, and a loop that finds nothing due at <c>t</c> could then sleep past
/// <c>t + poll</c> by the work's length — with a clock a test advances, for good: the advance came before the timer, so
/// nothing ever fires it. The deadline is checked again once the timer exists, so a clock that passed it in between
/// ends the sleep at once.
/// </summary>
public static class ClockSleep
{
    private static readonly Task Never = new TaskCompletionSource().Task;

    /// <summary>
    /// Returns at <paramref name="until"/> on <paramref name="time"/> (at once if it has passed), or when
    /// <paramref name="wake"/> completes, whichever is first; <c>true</c> if <paramref name="wake"/> ended it.
    /// Throws <see cref="OperationCanceledException"/> once <paramref name="stop"/> is cancelled.
    /// </summary>
    public static async Task<bool> SleepUntilAsync(this TimeProvider time, DateTimeOffset until, Task wake, CancellationToken stop)
    {
        stop.ThrowIfCancellationRequested();
        var left = until - time.GetUtcNow();
        if (left <= TimeSpan.Zero || wake.IsCompleted)
        {
            return wake.IsCompleted;
        }

        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(stop);
        var delay = Task.Delay(left, time, cancel.Token);
        // The clock may have moved past the deadline between the read above and the timer's creation.
        var first = time.GetUtcNow() >= until ? delay : await Task.WhenAny(wake, delay);
        await cancel.CancelAsync();
        stop.ThrowIfCancellationRequested();
        return first == wake;
    }

    /// <summary>Returns at <paramref name="until"/> on <paramref name="time"/>, at once if it has passed; throws
    /// <see cref="OperationCanceledException"/> once <paramref name="stop"/> is cancelled.</summary>
    public static Task SleepUntilAsync(this TimeProvider time, DateTimeOffset until, CancellationToken stop) =>
        time.SleepUntilAsync(until, Never, stop);
}
