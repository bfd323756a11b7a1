using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Calico.Dataplane.Kernel;
using Calico.Dataplane.Tests.Support;
using Calico.Net;
using Xunit.Abstractions;

namespace Calico.Dataplane.Tests.Kernel;

/// <summary>10,000 routes through the batch path, beside a raw `ip -batch` of the same lines, and read back.</summary>
public class RouteScaleTests(ITestOutputHelper output)
{
    private const int Count = 10_000;

    private static Route[] CalicoRoutes()
    {
        var routes = new Route[Count];
        for (var i = 0; i < Count; i++)
        {
            var network = (172u << 24) | (16u << 16) + (uint)i * 16;
            var bytes = new[] { (byte)(network >> 24), (byte)(network >> 16), (byte)(network >> 8), (byte)network };
            routes[i] = new Route
            {
                Destination = new IPPrefix(new IPAddress(bytes), 28),
                Gateway = IPAddress.Parse("10.0.2.10"),
                Device = "eth0",
                OnLink = true,
                Protocol = RouteProtocol.Calico,
                Mtu = 1480,
            };
        }
        return routes;
    }

    [NamespaceFact]
    public void Ten_thousand_routes_go_in_through_one_batch_and_read_back_exactly()
    {
        using var lab = Lab.Create("batch", "raw");
        foreach (var ns in new[] { "batch", "raw" })
        {
            lab.Veth(ns, "eth0", ns, "peer0");
            lab.Address(ns, "eth0", "10.0.2.15/24");
        }
        var routes = CalicoRoutes();

        var clock = Stopwatch.StartNew();
        var batch = new KernelBatch();
        foreach (var route in routes) batch.AddRoute(route);
        var build = clock.Elapsed;
        var kernel = lab.Kernel("batch");
        kernel.Apply(batch);
        var apply = clock.Elapsed - build;

        var file = Path.Combine(Path.GetTempPath(), $"calico-routes-{Environment.ProcessId}-{Guid.NewGuid():n}.batch");
        File.WriteAllLines(file, batch.IpCommands);
        try
        {
            clock.Restart();
            var raw = ProcessCommandRunner.Instance.Run("ip", ["-n", lab.Prefix + "raw", "-batch", file]);
            var rawTime = clock.Elapsed;
            Assert.Equal(0, raw.ExitCode);

            clock.Restart();
            var read = kernel.GetRoutes(AddressFamily.InterNetwork);
            var readTime = clock.Elapsed;

            var calico = read.Where(r => r.Protocol == RouteProtocol.Calico).Select(r => r with { Scope = null, Flags = [] }).ToArray();
            Assert.Equal(Count, calico.Length);
            Assert.Equal(routes.OrderBy(r => r.Destination), calico.OrderBy(r => r.Destination));
            Assert.Equal(Count, lab.Kernel("raw").GetRoutes(AddressFamily.InterNetwork).Count(r => r.Protocol == RouteProtocol.Calico));

            output.WriteLine($"build {Count} batch lines: {build.TotalMilliseconds:F0} ms");
            output.WriteLine($"apply through KernelBatch (ip -batch - on stdin): {apply.TotalMilliseconds:F0} ms");
            output.WriteLine($"raw ip -batch FILE, same lines: {rawTime.TotalMilliseconds:F0} ms");
            output.WriteLine($"read back {read.Count} IPv4 routes (one ip -json call) into typed records: {readTime.TotalMilliseconds:F0} ms");
        }
        finally
        {
            File.Delete(file);
        }
    }
}
