namespace Calico.Dataplane.Kernel.Json;

/// <summary>Reads `bridge -json fdb show`.</summary>
internal static class FdbJson
{
    public static IReadOnlyList<FdbEntry> Parse(string json)
    {
        // `bridge -json fdb show` prints nothing at all, not "[]", when there are no entries.
        if (string.IsNullOrWhiteSpace(json)) return [];
        return JsonField.ReadArray(json, "bridge fdb show", item => new FdbEntry
        {
            MacAddress = item.RequiredString("mac"),
            Device = item.RequiredString("ifname"),
            Destination = item.Address("dst"),
            Master = item.String("master"),
            Vlan = item.Int("vlan"),
            Vni = item.Int("vni"),
            Flags = item.Strings("flags"),
            State = item.String("state") ?? "",
        });
    }
}
