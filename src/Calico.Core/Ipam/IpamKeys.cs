using Calico.Net;

namespace Calico.Ipam;

/// <summary>The etcd keys Calico's IPAM uses (libcalico-go model/block.go, block_affinity.go, ipam_handle.go).</summary>
public static class IpamKeys
{
    public const string Root = "/calico/ipam/v2/";
    public const string Config = "/calico/ipam/v2/config";

    /// <summary>Where the blocks of both families live.</summary>
    public const string BlockRoot = "/calico/ipam/v2/assignment/";

    public static string BlockPrefix(int family) => $"/calico/ipam/v2/assignment/ipv{family}/block/";

    public static string Block(IPPrefix cidr) => BlockPrefix(cidr.Family) + Encode(cidr);

    public static string Affinity(string host, IPPrefix cidr) => $"/calico/ipam/v2/host/{host}/ipv{cidr.Family}/block/{Encode(cidr)}";

    public static string AffinityPrefix(string host) => $"/calico/ipam/v2/host/{host}/";

    public const string AffinityRoot = "/calico/ipam/v2/host/";

    public static string Handle(string handleId) => "/calico/ipam/v2/handle/" + handleId;

    public const string HandlePrefix = "/calico/ipam/v2/handle/";

    /// <summary>The masked CIDR with its '/' turned into '-', as in 10.0.0.0-26.</summary>
    public static string Encode(IPPrefix cidr) => cidr.Network.ToString().Replace('/', '-');

    /// <summary>Reads /calico/ipam/v2/host/&lt;host&gt;/ipv4/block/&lt;cidr&gt; back into its host and block.</summary>
    public static bool TryDecodeAffinityKey(string key, out string host, out IPPrefix cidr)
    {
        host = "";
        cidr = default;
        if (!key.StartsWith(AffinityRoot, StringComparison.Ordinal)) return false;
        var parts = key[AffinityRoot.Length..].Split('/');
        if (parts.Length != 4 || parts[0].Length == 0 || parts[2] != "block" || (parts[1] != "ipv4" && parts[1] != "ipv6")) return false;
        host = parts[0];
        return TryDecodeBlockKey(key, out cidr) && cidr.Family == (parts[1] == "ipv4" ? 4 : 6);
    }

    public static bool TryDecodeBlockKey(string key, out IPPrefix cidr)
    {
        cidr = default;
        var slash = key.LastIndexOf('/');
        if (slash < 0) return false;
        var text = key[(slash + 1)..];
        var dash = text.LastIndexOf('-');
        return dash > 0 && IPPrefix.TryParse(text[..dash] + "/" + text[(dash + 1)..], out cidr);
    }
}
