using System.IO.Compression;
using System.Text.Json;
using System.Text.Json.Serialization;
using Calico.Dataplane.Kernel;
using Calico.Resources;
using Calico.Tests.Routing;

namespace Calico.Benchmarks;

/// <summary>One command a kernel read ran, and what it answered.</summary>
public sealed record RecordedCommand(string File, IReadOnlyList<string> Arguments, string? Input, int ExitCode, string Output, string Error);

/// <summary>
/// A host's kernel as a sync found it and left it, captured from a real network namespace (Harness/KernelCapture.cs):
/// every command each read ran and its answer, before the sync ("empty": eth0 only) and after it ("synced").
/// Replayed through <see cref="IpRoute2Kernel"/>, it gives the diff the exact kernel state
/// without a kernel. The cluster is <see cref="ClusterScenario"/> in VXLAN Always (this host's kernel has no ipip),
/// planned for <see cref="Node"/> at <see cref="NodeAddress"/>.
/// </summary>
public sealed record KernelFixture
{
    public required string Namespace { get; init; }
    public required int Nodes { get; init; }
    public required int BlocksPerNode { get; init; }
    public required string Node { get; init; }
    public required string NodeAddress { get; init; }
    public required IReadOnlyList<RecordedCommand> Empty { get; init; }
    public required IReadOnlyList<RecordedCommand> Synced { get; init; }

    /// <summary>Routes the plan programs: blackholes for the node's own blocks, one route to every other block.</summary>
    [JsonIgnore]
    public int Routes => Nodes * BlocksPerNode;

    /// <summary>Kernel routes per fixture: the scaling series of the diff benchmarks and the sync harness.</summary>
    public static IReadOnlyList<int> RouteCounts { get; } = [1_000, 3_000, 10_000];

    public static ScenarioShape ShapeFor(int routes) => new()
    {
        Nodes = routes / 4,
        BlocksPerNode = 4,
        BorrowedEvery = 0,
        IPIPMode = IPIPMode.Never,
        VXLANMode = VXLANMode.Always,
    };

    [JsonIgnore]
    public ScenarioShape Shape => ShapeFor(Routes);

    public static string FileName(int routes) => $"kernel-{routes}-routes.json.gz";

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = false };

    public static KernelFixture Load(string path)
    {
        using var file = File.OpenRead(path);
        using var gzip = new GZipStream(file, CompressionMode.Decompress);
        return JsonSerializer.Deserialize<KernelFixture>(gzip, Json) ?? throw new InvalidDataException($"{path}: empty fixture");
    }

    /// <summary>The fixture copied beside the benchmarks (Fixtures/), for a number of routes.</summary>
    public static KernelFixture ForRoutes(int routes) => Load(Path.Combine(AppContext.BaseDirectory, "Fixtures", FileName(routes)));

    public void Save(string path)
    {
        using var file = File.Create(path);
        using var gzip = new GZipStream(file, CompressionLevel.SmallestSize);
        JsonSerializer.Serialize(gzip, this, Json);
    }

    /// <summary>A kernel that answers its reads from one of the captured states and refuses writes.</summary>
    public IpRoute2Kernel Replay(IReadOnlyList<RecordedCommand> state) =>
        new(NetworkNamespace.Named(Namespace), new ReplayRunner(state));
}

/// <summary>Runs commands for real and keeps each with its answer.</summary>
public sealed class RecordingRunner(ICommandRunner inner) : ICommandRunner
{
    public List<RecordedCommand> Commands { get; } = [];

    public CommandResult Run(string file, IReadOnlyList<string> arguments, string? standardInput = null)
    {
        var result = inner.Run(file, arguments, standardInput);
        Commands.Add(new RecordedCommand(file, [.. arguments], standardInput, result.ExitCode, result.StandardOutput, result.StandardError));
        return result;
    }
}

/// <summary>Answers each command with what it answered when captured; any other command is an error.</summary>
public sealed class ReplayRunner : ICommandRunner
{
    private readonly Dictionary<string, CommandResult> _answers = new(StringComparer.Ordinal);

    public ReplayRunner(IEnumerable<RecordedCommand> commands)
    {
        foreach (var c in commands.Where(c => c.Input is null)) _answers[Key(c.File, c.Arguments)] = new CommandResult(c.ExitCode, c.Output, c.Error);
    }

    public CommandResult Run(string file, IReadOnlyList<string> arguments, string? standardInput = null) =>
        standardInput is null && _answers.TryGetValue(Key(file, arguments), out var answer)
            ? answer
            : throw new InvalidOperationException($"not in the capture: {file} {string.Join(' ', arguments)}");

    private static string Key(string file, IReadOnlyList<string> arguments) => file + "\0" + string.Join('\0', arguments);
}
