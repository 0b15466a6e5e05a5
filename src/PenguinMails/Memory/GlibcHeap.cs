using System.Reflection;
using System.Runtime.InteropServices;

namespace PenguinMails.Memory;

/// <summary>
/// glibc's <c>malloc</c>, which holds the server's native memory: the JIT's working memory for each method it compiles
/// (freed after each, in bursts while tiered compilation recompiles hot code), SQLite's page caches and statements,
/// OpenSSL, ICU. glibc keeps freed chunks for reuse, in up to 8 arenas per core, and gives back only what lies at the
/// top of a heap: after a fan-out of 100,000 contacts it held 21 MiB of freed memory (one <c>malloc_trim</c> took the
/// server from 278 to 257 MiB; bench/README.md, "Tenth round", issue 16). <see cref="NativeHeapTrimJob"/> trims it.
/// Every call here does nothing where the C library is not glibc (musl, macOS, Windows).
/// </summary>
public static class GlibcHeap
{
    private const int ArenaMaxParameter = -8; // M_ARENA_MAX in glibc's malloc.h
    private static readonly bool Available = OperatingSystem.IsLinux() && HasGlibc();

    /// <summary>
    /// No new malloc arenas once two exist (glibc's default allows eight per core), unless <c>MALLOC_ARENA_MAX</c> is
    /// set in the environment, which glibc has already read and which wins. Called first thing in <c>Main</c>: the
    /// arenas the runtime's own threads made before it stay (six on the 2-core bench machine, against fifteen after a
    /// fan-out without the cap), and every thread started later shares them. Fewer arenas mean fewer heaps each holding
    /// freed chunks; the server's native allocations are short and few besides the JIT's.
    /// </summary>
    /// <returns>True when the limit was set.</returns>
    public static bool LimitArenas() =>
        OwnsProcess && Available && Environment.GetEnvironmentVariable("MALLOC_ARENA_MAX") is null
        && mallopt(ArenaMaxParameter, 2) == 1;

    /// <summary>
    /// True when this process is the server's own executable. A server hosted inside another process (the tests'
    /// WebApplicationFactory, dozens of hosts at once) leaves that process's C library alone: two arenas for all of
    /// its threads, and a trim per host every two seconds (the suite's run with them took 32 minutes, against 24-28 before).
    /// </summary>
    public static bool OwnsProcess { get; } = Assembly.GetEntryAssembly() == typeof(GlibcHeap).Assembly;

    /// <summary>
    /// Returns the freed pages of every arena to the operating system (<c>malloc_trim(0)</c>, which since glibc 2.8 also
    /// releases whole free pages inside a heap, not only at its top). True when memory was released. Takes each arena's
    /// lock in turn while it walks that arena's free chunks; pages it released are faulted in again (zeroed) when
    /// malloc reuses them.
    /// </summary>
    public static bool Trim() => Available && malloc_trim(0) == 1;

    private static bool HasGlibc()
    {
        try
        {
            return gnu_get_libc_version() != IntPtr.Zero;
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
        {
            return false;
        }
    }

    [DllImport("libc", ExactSpelling = true)]
    private static extern IntPtr gnu_get_libc_version();

    [DllImport("libc", ExactSpelling = true)]
    private static extern int mallopt(int parameter, int value);

    [DllImport("libc", ExactSpelling = true)]
    private static extern int malloc_trim(nuint pad);
}
