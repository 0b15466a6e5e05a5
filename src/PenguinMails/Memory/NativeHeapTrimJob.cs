using PenguinMails.Data;

namespace PenguinMails.Memory;

/// <summary>
/// Gives the C library's freed memory back to the operating system every two seconds (<see cref="GlibcHeap.Trim"/>),
/// so that what a burst of work freed (a campaign's fan-out, an import, tiered compilation recompiling hot code) stops
/// counting in the server's resident memory within seconds. Ten seconds left the fan-out's peak where it was: the
/// burst is over by then (bench/README.md, "Tenth round", issue 16). On a C library other than glibc it does nothing.
/// </summary>
public sealed class NativeHeapTrimJob(TimeProvider time, ILogger<NativeHeapTrimJob> logger) : PeriodicJob(time, logger)
{
    protected override TimeSpan Interval => TimeSpan.FromSeconds(2);

    protected override Task RunOnceAsync(CancellationToken ct)
    {
        GlibcHeap.Trim();
        return Task.CompletedTask;
    }
}
