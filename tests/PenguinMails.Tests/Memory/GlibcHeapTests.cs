using System.Runtime.InteropServices;
using PenguinMails.Memory;

namespace PenguinMails.Tests.Memory;

/// <summary>
/// <see cref="GlibcHeap.Trim"/> gives freed native memory back: 64 MiB of small blocks freed below a block still in
/// use stay resident (glibc trims a heap only from its top by itself) until the trim.
/// </summary>
public sealed class GlibcHeapTests
{
    [Fact]
    public void Trim_ReturnsFreedBlocksBelowALiveOne_ToTheOperatingSystem()
    {
        Assert.True(OperatingSystem.IsLinux(), "the server and its tests run on Debian (glibc)");
        const int block = 4096;
        var ones = Enumerable.Repeat((byte)1, block).ToArray();
        var blocks = new IntPtr[64 * 1024 * 1024 / block];
        for (var i = 0; i < blocks.Length; i++)
        {
            blocks[i] = Marshal.AllocHGlobal(block);
            Marshal.Copy(ones, 0, blocks[i], block); // resident, not only reserved
        }

        var live = Marshal.AllocHGlobal(block); // above the others: glibc cannot trim past it on its own
        try
        {
            foreach (var b in blocks)
            {
                Marshal.FreeHGlobal(b);
            }

            var beforeTrim = ResidentMiB();
            Assert.True(GlibcHeap.Trim());
            var afterTrim = ResidentMiB();
            Assert.True(beforeTrim - afterTrim >= 32, $"resident {beforeTrim} MiB before the trim, {afterTrim} MiB after");
        }
        finally
        {
            Marshal.FreeHGlobal(live);
        }
    }

    private static long ResidentMiB() =>
        long.Parse(File.ReadLines("/proc/self/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal))
            .Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) / 1024;
}
