using System.Diagnostics;
using System.Net;
using Calico.Dataplane.Kernel;
using Calico.Dataplane.Reconcile;
using Calico.Net;
using Calico.Routing;
using Calico.Tests.Routing;

namespace Calico.Benchmarks.Harness;

/// <summary>
/// Syncs the fixture cluster's node-00000 into a prepared namespace (eth0 up with the node's address, nothing else) with
/// the reconciler, recording every command: the reads before the sync and after it become a <see cref="KernelFixture"/>,
/// the writes are saved as files (ip.batch, bridge.batch, nft.script, sysctls.txt) for the `ip -batch` baseline.
/// </summary>
internal static class KernelCapture
{
    public static object Capture(int routes, string namespaceName, string fixturePath, string? writesDirectory)
    {
        var shape = KernelFixture.ShapeFor(routes);
        var cluster = ClusterScenario.Build(shape);
        var node = cluster.Nodes[0];
        var address = IPPrefix.Parse(node.Spec.BGP!.IPv4Address!).Address;
        var recorder = new RecordingRunner(ProcessCommandRunner.Instance);
        var kernel = new IpRoute2Kernel(NetworkNamespace.Named(namespaceName), recorder);
        var reconciler = new DataplaneReconciler(kernel);

        var clock = Stopwatch.StartNew();
        var facts = HostFacts.Read(kernel, address);
        var plan = RoutePlanner.Plan(node.Name, cluster.Nodes, cluster.Pools, cluster.Blocks, facts.ApplyTo(RouteSettings.Default));
        var diff = reconciler.Diff(plan, facts);
        var diffMs = clock.Elapsed.TotalMilliseconds;
        var empty = Take(recorder);
        if (diff.Changes.Count(c => c.Object == DataplaneObject.Route) != routes)
            throw new InvalidOperationException($"{namespaceName} is not empty: the plan's {routes} routes are not all to add");

        clock.Restart();
        reconciler.Apply(diff);
        var applyMs = clock.Elapsed.TotalMilliseconds;
        var writes = Take(recorder);

        HostFacts.Read(kernel, address);
        var again = reconciler.Diff(plan, facts);
        var synced = Take(recorder);
        if (!again.IsEmpty) throw new InvalidOperationException($"after the sync {namespaceName} still differs: {string.Join("; ", again.Changes.Take(3))}");

        new KernelFixture
        {
            Namespace = namespaceName, Nodes = shape.Nodes, BlocksPerNode = shape.BlocksPerNode,
            Node = node.Name, NodeAddress = address.ToString(), Empty = empty, Synced = synced,
        }.Save(fixturePath);
        if (writesDirectory is not null) SaveWrites(writes, writesDirectory);
        return new
        {
            routes, fixture = fixturePath, fixtureBytes = new FileInfo(fixturePath).Length, changes = diff.Changes.Count,
            writeCommands = writes.Select(w => w.File + " " + string.Join(' ', w.Arguments.Where(a => !a.Contains('\n')))).ToList(),
            coreDiffMs = diffMs, coreApplyMs = applyMs,
        };
    }

    private static List<RecordedCommand> Take(RecordingRunner recorder)
    {
        var commands = recorder.Commands.ToList();
        recorder.Commands.Clear();
        return commands;
    }

    /// <summary>The sync's writes as plain files: `ip -batch FILE`, `bridge -batch FILE`, `nft -f FILE`, and sysctl assignments.</summary>
    private static void SaveWrites(IReadOnlyList<RecordedCommand> writes, string directory)
    {
        Directory.CreateDirectory(directory);
        foreach (var write in writes)
        {
            var tool = write.File == "ip" && write.Arguments.Contains("netns") ? write.Arguments[3] : write.File;
            switch (tool)
            {
                case "ip" or "bridge" when write.Input is not null:
                    File.WriteAllText(Path.Combine(directory, tool + ".batch"), write.Input);
                    break;
                case "nft" when write.Input is not null:
                    File.WriteAllText(Path.Combine(directory, "nft.script"), write.Input);
                    break;
                case "sh":
                    // sh -c SCRIPT sh KEY VALUE KEY VALUE …: the keys are /proc/sys paths, written as sysctl names.
                    var pairs = write.Arguments.SkipWhile(a => a != "sh").Skip(1).SkipWhile(a => a != "sh").Skip(1).ToList();
                    File.WriteAllLines(Path.Combine(directory, "sysctls.txt"),
                        pairs.Chunk(2).Select(p => $"{p[0].Replace('/', '.')}={p[1]}"));
                    break;
                default:
                    throw new InvalidOperationException($"unexpected write: {write.File} {string.Join(' ', write.Arguments)}");
            }
        }
    }
}
