using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Calico.Benchmarks.Harness;

/// <summary>Wall time, this thread's CPU time and live heap, as the harness reports them.</summary>
internal static class Measure
{
    /// <summary>Runs <paramref name="action"/> once to warm up, then <paramref name="runs"/> times; milliseconds.</summary>
    public static Timing Repeat<T>(int runs, Func<T> action)
    {
        GC.KeepAlive(action());
        var wall = new double[runs];
        var cpu = new double[runs];
        for (var i = 0; i < runs; i++)
        {
            var cpuStart = ThreadCpuMilliseconds();
            var clock = Stopwatch.StartNew();
            GC.KeepAlive(action());
            wall[i] = clock.Elapsed.TotalMilliseconds;
            cpu[i] = ThreadCpuMilliseconds() - cpuStart;
        }
        return Timing.Of(wall, cpu);
    }

    public static async Task<Timing> RepeatAsync<T>(int runs, Func<Task<T>> action)
    {
        GC.KeepAlive(await action());
        var wall = new double[runs];
        for (var i = 0; i < runs; i++)
        {
            var clock = Stopwatch.StartNew();
            GC.KeepAlive(await action());
            wall[i] = clock.Elapsed.TotalMilliseconds;
        }
        return Timing.Of(wall, null);
    }

    /// <summary>The heap after a full, compacting collection: what is really held.</summary>
    public static long LiveBytes()
    {
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        return GC.GetTotalMemory(forceFullCollection: true);
    }

    /// <summary>
    /// CPU time of the calling thread. Several people share this machine's two cores, so wall time includes waiting
    /// for a core; the thread's CPU time is what the measured code itself costs (plus any GC it triggers inline).
    /// </summary>
    public static double ThreadCpuMilliseconds()
    {
        const int ClockThreadCpuTime = 3;
        return ClockGetTime(ClockThreadCpuTime, out var t) == 0 ? t.Seconds * 1000.0 + t.Nanoseconds / 1e6 : double.NaN;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [DllImport("libc", EntryPoint = "clock_gettime")]
    private static extern int ClockGetTime(int clock, out TimeSpec time);
}

/// <summary>Medians and extremes of repeated runs, in milliseconds; CPU only where it was measured on one thread.</summary>
internal sealed record Timing(int Runs, double MedianMs, double MinMs, double MaxMs, double? CpuMedianMs)
{
    public static Timing Of(double[] wall, double[]? cpu) =>
        new(wall.Length, Median(wall), wall.Min(), wall.Max(), cpu is null ? null : Median(cpu));

    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
