namespace PenguinMails.ApiUsage;

/// <summary>
/// The fixed log-scale latency buckets of every roll-up row: bucket <c>i</c> (0…14) holds durations up to
/// 2^i ms — upper bounds 1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096, 8192, 16384 ms — and bucket 15
/// everything slower. A percentile is the upper bound of the bucket holding its rank (nearest-rank method), so it is
/// exact to a bucket over any range; in the last bucket it is reported as 16384 ms, its lower bound.
/// </summary>
public static class LatencyHistogram
{
    public const int Count = 16;

    public static int BucketOf(double ms)
    {
        var bound = 1.0;
        for (var i = 0; i < Count - 1; i++, bound *= 2)
        {
            if (ms <= bound)
            {
                return i;
            }
        }

        return Count - 1;
    }

    /// <summary>The value reported for a rank that falls in bucket <paramref name="i"/>, in ms.</summary>
    public static double UpperBound(int i) => Math.Pow(2, Math.Min(i, Count - 2));

    /// <summary>The nearest-rank percentile (<paramref name="p"/> 0…1) of the summed buckets; null when empty.</summary>
    public static double? Percentile(IReadOnlyList<long> buckets, double p)
    {
        var total = buckets.Sum();
        if (total == 0)
        {
            return null;
        }

        var rank = (long)Math.Ceiling(p * total);
        long seen = 0;
        for (var i = 0; i < buckets.Count; i++)
        {
            seen += buckets[i];
            if (seen >= Math.Max(rank, 1))
            {
                return UpperBound(i);
            }
        }

        return UpperBound(Count - 1);
    }

    public static long[] Of(ApiUsageRollup r) =>
        [r.B0, r.B1, r.B2, r.B3, r.B4, r.B5, r.B6, r.B7, r.B8, r.B9, r.B10, r.B11, r.B12, r.B13, r.B14, r.B15];
}
