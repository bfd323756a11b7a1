using Calico.Net;

namespace Calico.Dataplane.Kernel.Json;

/// <summary>Reads `ip -json neigh show nud all`.</summary>
internal static class NeighbourJson
{
    public static IReadOnlyList<Neighbour> Parse(string json) => JsonField.ReadArray(json, "ip neigh show", ParseNeighbour);

    private static Neighbour ParseNeighbour(JsonField item)
    {
        var dst = item.Get("dst") ?? throw item.Error("neighbour without \"dst\"");
        var state = NeighbourState.None;
        foreach (var name in item.Get("state")?.Items() ?? [])
        {
            state |= Enum.TryParse<NeighbourState>(name.AsString(), ignoreCase: true, out var bit) && name.AsString().All(char.IsAsciiLetterUpper)
                ? bit
                : throw name.Error("not a neighbour state");
        }
        return new Neighbour
        {
            Address = IPParser.TryParse(dst.AsString(), out var address) ? address : throw dst.Error("not an IP address"),
            Device = item.RequiredString("dev"),
            LinkLayerAddress = item.String("lladdr"),
            State = state,
            // iproute2 prints the router flag as `"router": null`.
            IsRouter = item.Has("router"),
        };
    }
}
