using Calico.Resources;
using Calico.Validation;
using static Calico.Tests.Validation.ValidationAssert;

namespace Calico.Tests.Validation;

/// <summary>
/// Calico's own tests of the IPPool CRD rules (schema enums and CEL), case by case, at projectcalico/calico@87c15906:
/// libcalico-go/lib/validator/v3/crd_validation_test.go (cited "crd:"), test/validation/ippool_test.go (against a
/// real API server, cited "api:"), and calicoctl's end-to-end table calicoctl/tests/st/calicoctl/test_crud.py
/// (cited "st:"). Like Calico's runners, an invalid case passes when some problem's message contains the
/// expected text.
/// </summary>
public class IPPoolCrdRuleTests
{
    private sealed record Case(string Source, string Description, string? ErrorContains, Func<IPPool>? Build = null, string? Json = null);

    private const string PoolTooSmall = "IP pool size is too small for use with Calico IPAM";

    private static readonly Case[] Cases =
    [
        new("crd:229", "valid ipipMode passes", null, () => Pool("10.0.0.0/24", s => s.IPIPMode = IPIPMode.Always, "test-pool")),
        new("crd:239", "invalid ipipMode fails enum", "supported values", Json: PoolJson("""{"cidr":"10.0.0.0/24","ipipMode":"BadMode"}""")),
        new("crd:250", "invalid vxlanMode fails enum", "supported values", Json: PoolJson("""{"cidr":"10.0.0.0/24","vxlanMode":"BadMode"}""")),

        new("crd:1048", "IPIP and VXLAN both enabled fails", "ipipMode and vxlanMode cannot both be enabled",
            () => Pool("10.0.0.0/24", s => { s.IPIPMode = IPIPMode.Always; s.VXLANMode = VXLANMode.Always; })),
        new("crd:1060", "LoadBalancer use with IPIP enabled fails", "LoadBalancer IP pool cannot have IPIP or VXLAN enabled",
            () => Pool("10.0.0.0/24", s => { s.IPIPMode = IPIPMode.Always; s.AllowedUses = [IPPoolAllowedUse.LoadBalancer]; })),
        new("crd:1072", "LoadBalancer combined with Workload use fails", "LoadBalancer cannot be combined with Workload or Tunnel",
            () => Pool("10.0.0.0/24", s => s.AllowedUses = [IPPoolAllowedUse.LoadBalancer, IPPoolAllowedUse.Workload])),
        new("crd:1083", "IPv6 CIDR with IPIP mode fails", "IPIP is not supported on IPv6 pools",
            () => Pool("fd00::/120", s => s.IPIPMode = IPIPMode.Always)),
        new("crd:1094", "valid IPv4 with IPIP passes", null, () => Pool("10.0.0.0/24", s => s.IPIPMode = IPIPMode.Always)),
        new("crd:1104", "LB pool with disableBGPExport fails", "LoadBalancer IP pools cannot disable BGP export",
            () => Pool("10.0.0.0/24", s => { s.AllowedUses = [IPPoolAllowedUse.LoadBalancer]; s.DisableBGPExport = true; s.NodeSelector = "all()"; })),
        new("crd:1117", "LB pool with wrong nodeSelector fails", "IP Pool with AllowedUse LoadBalancer must have nodeSelector set to all()",
            () => Pool("10.0.0.0/24", s => { s.AllowedUses = [IPPoolAllowedUse.LoadBalancer]; s.NodeSelector = "has(node-role)"; })),
        new("crd:1129", "LB pool with correct config passes", null,
            () => Pool("10.0.0.0/24", s => { s.AllowedUses = [IPPoolAllowedUse.LoadBalancer]; s.NodeSelector = "all()"; })),
        new("crd:1140", "Tunnel pool with namespaceSelector fails", "IP Pool with AllowedUse Tunnel cannot have namespaceSelector",
            () => Pool("10.0.0.0/24", s => { s.AllowedUses = [IPPoolAllowedUse.Tunnel]; s.NamespaceSelector = "has(ns-label)"; })),
        new("crd:1152", "nodeSelector with global() fails", "global() selector is not valid for IPPool nodeSelector",
            () => Pool("10.0.0.0/24", s => s.NodeSelector = "global()")),
        new("crd:1163", "namespaceSelector with global() fails", "global() selector is not valid for IPPool namespaceSelector",
            () => Pool("10.0.0.0/24", s => s.NamespaceSelector = "global()")),

        new("api:47", "ipipMode and vxlanMode both enabled is rejected", "ipipMode and vxlanMode cannot both be enabled",
            () => Pool("10.0.1.0/24", s => { s.IPIPMode = IPIPMode.Always; s.VXLANMode = VXLANMode.Always; })),
        new("api:59", "LoadBalancer with ipipMode is rejected", "LoadBalancer IP pool cannot have IPIP or VXLAN enabled",
            () => Pool("10.0.2.0/24", s => { s.IPIPMode = IPIPMode.Always; s.AllowedUses = [IPPoolAllowedUse.LoadBalancer]; })),
        new("api:71", "LoadBalancer with Workload is rejected", "LoadBalancer cannot be combined with Workload or Tunnel allowed uses",
            () => Pool("10.0.3.0/24", s => s.AllowedUses = [IPPoolAllowedUse.LoadBalancer, IPPoolAllowedUse.Workload])),
        new("api:82", "LoadBalancer alone is accepted", null,
            () => Pool("10.0.4.0/24", s => { s.AllowedUses = [IPPoolAllowedUse.LoadBalancer]; s.NodeSelector = "all()"; })),
        new("api:93", "Workload + Tunnel is accepted", null,
            () => Pool("10.0.5.0/24", s => s.AllowedUses = [IPPoolAllowedUse.Workload, IPPoolAllowedUse.Tunnel])),
        new("api:103", "IPv6 pool with IPIP enabled is rejected", "IPIP is not supported on IPv6 pools",
            () => Pool("fd00:6::/112", s => s.IPIPMode = IPIPMode.Always)),
        new("api:114", "IPv6 pool with IPIP CrossSubnet is rejected", "IPIP is not supported on IPv6 pools",
            () => Pool("fd00:7::/112", s => s.IPIPMode = IPIPMode.CrossSubnet)),
        new("api:125", "IPv6 pool with IPIP Never is accepted", null, () => Pool("fd00:8::/112", s => s.IPIPMode = IPIPMode.Never)),
        new("api:135", "IPv6 pool without IPIP is accepted", null, () => Pool("fd00:9::/112")),
        new("api:144", "IPv4 pool with IPIP enabled is accepted", null, () => Pool("10.0.10.0/24", s => s.IPIPMode = IPIPMode.Always)),
        new("api:154", "LoadBalancer pool with disableBGPExport is rejected", "LoadBalancer IP pools cannot disable BGP export",
            () => Pool("10.0.11.0/24", s => { s.AllowedUses = [IPPoolAllowedUse.LoadBalancer]; s.DisableBGPExport = true; s.NodeSelector = "all()"; })),
        new("api:167", "LoadBalancer pool with wrong nodeSelector is rejected", "IP Pool with AllowedUse LoadBalancer must have nodeSelector set to all()",
            () => Pool("10.0.12.0/24", s => { s.AllowedUses = [IPPoolAllowedUse.LoadBalancer]; s.NodeSelector = "has(node-role)"; })),
        new("api:179", "LoadBalancer pool with nodeSelector all() is accepted", null,
            () => Pool("10.0.13.0/24", s => { s.AllowedUses = [IPPoolAllowedUse.LoadBalancer]; s.NodeSelector = "all()"; })),
        new("api:190", "Tunnel pool with namespaceSelector is rejected", "IP Pool with AllowedUse Tunnel cannot have namespaceSelector",
            () => Pool("10.0.14.0/24", s => { s.AllowedUses = [IPPoolAllowedUse.Tunnel]; s.NamespaceSelector = "has(ns-label)"; })),
        new("api:202", "Tunnel pool without namespaceSelector is accepted", null,
            () => Pool("10.0.15.0/24", s => s.AllowedUses = [IPPoolAllowedUse.Tunnel])),
        new("api:212", "nodeSelector containing global() is rejected", "global() selector is not valid for IPPool nodeSelector",
            () => Pool("10.0.16.0/24", s => s.NodeSelector = "global()")),
        new("api:223", "namespaceSelector containing global() is rejected", "global() selector is not valid for IPPool namespaceSelector",
            () => Pool("10.0.17.0/24", s => s.NamespaceSelector = "global()")),
        // The API server words these with the CEL rule ("IPPool CIDR must be strictly masked"); calicoctl's client
        // refuses the pool first with its own wording, which is what users of etcd mode see and what we report.
        new("api:234", "CIDR that is not strictly masked is rejected", "IPPool CIDR is not strictly masked", () => Pool("192.168.0.1/24")),
        new("api:244", "IPv6 CIDR that is not strictly masked is rejected", "IPPool CIDR is not strictly masked", () => Pool("fd00::1/112")),
        new("api:254", "IPv6 CIDR in upper case is accepted", null, () => Pool("FD00:1234::/112")),
        new("api:263", "CIDR equal to the IPv4 link local range is rejected", "IPPool CIDR overlaps with IPv4 link local range 169.254.0.0/16",
            () => Pool("169.254.0.0/16")),
        new("api:273", "CIDR inside the IPv4 link local range is rejected", "IPPool CIDR overlaps with IPv4 link local range 169.254.0.0/16",
            () => Pool("169.254.10.0/24")),
        new("api:283", "CIDR containing the IPv4 link local range is rejected", "IPPool CIDR overlaps with IPv4 link local range 169.254.0.0/16",
            () => Pool("169.254.0.0/15")),
        new("api:293", "CIDR inside the IPv6 link local range is rejected", "IPPool CIDR overlaps with IPv6 link local range fe80::/10",
            () => Pool("fe80::/112")),
        new("api:303", "CIDR containing the IPv6 link local range is rejected", "IPPool CIDR overlaps with IPv6 link local range fe80::/10",
            () => Pool("fe00::/8")),
        new("api:313", "IPv4 blockSize below the supported range is rejected", "blockSize must be between 20 and 32 for IPv4 pools",
            () => Pool("10.100.0.0/16", s => s.BlockSize = 19)),
        new("api:324", "IPv4 blockSize above the supported range is rejected", "blockSize must be between 20 and 32 for IPv4 pools",
            () => Pool("10.101.0.0/16", s => s.BlockSize = 33)),
        new("api:335", "IPv6 blockSize below the supported range is rejected", "between 116 and 128 for IPv6 pools",
            () => Pool("fd10::/48", s => s.BlockSize = 64)),
        new("api:346", "IPv4 blockSize within the supported range is accepted", null, () => Pool("10.0.18.0/24", s => s.BlockSize = 26)),
        new("api:356", "IPv6 blockSize within the supported range is accepted", null, () => Pool("fd00:19::/112", s => s.BlockSize = 122)),
        new("api:366", "blockSize larger than the pool CIDR is rejected", PoolTooSmall, () => Pool("10.102.0.0/28", s => s.BlockSize = 26)),
        new("api:377", "blockSize larger than the pool CIDR is accepted on a disabled pool", null,
            () => Pool("10.103.0.0/28", s => { s.BlockSize = 26; s.Disabled = true; })),
        new("api:388", "pool smaller than the default IPv4 blockSize is rejected when blockSize is omitted", PoolTooSmall, () => Pool("10.105.0.0/28")),
        new("api:398", "pool smaller than the default IPv6 blockSize is rejected when blockSize is omitted", PoolTooSmall, () => Pool("fd20::/124")),
        new("api:408", "blockSize equal to the pool CIDR is accepted", null, () => Pool("10.104.0.0/26", s => s.BlockSize = 26)),

        // calicoctl create refusals. st expects Go's "CIDR = '…'" field dump; we check our message instead.
        new("st:2595", "pool-invalidNet1: impossible mask", "IPPool CIDR must be a valid subnet",
            () => Pool("10.0.1.0/33", s => s.IPIPMode = IPIPMode.Always, "pool-invalid-net-1")),
        new("st:2603", "pool-invalidNet2: invalid octet", "IPPool CIDR must be a valid subnet",
            () => Pool("10.0.256.0/24", s => s.IPIPMode = IPIPMode.Always, "pool-invalid-net-1")),
        new("st:2611", "pool-invalidNet3: /32 pool", PoolTooSmall, () => Pool("10.0.250.0/32", s => s.IPIPMode = IPIPMode.Always, "pool-invalid-net-1")),
        new("st:2619", "pool-invalidNet4: too many ::", "IPPool CIDR must be a valid subnet",
            () => Pool("fd5f::2::1/32", s => s.IPIPMode = IPIPMode.Never, "pool-invalid-net-1")),
        new("st:2636", "pool-invalidNet6: ::/128", PoolTooSmall,
            () => Pool("::/128", s => { s.IPIPMode = IPIPMode.Never; s.VXLANMode = VXLANMode.Never; }, "invalid-net-6")),
        new("st:2647", "pool-invalidNet7: /27 pool", PoolTooSmall, () => Pool("192.168.0.0/27", name: "invalid-net-7")),
        new("st:2654", "pool-invalidNet8: host bits set", "IPPool CIDR is not strictly masked",
            () => Pool("fd5f::1/123", s => s.IPIPMode = IPIPMode.Never, "invalid-net-8")),
        new("st:2663", "pool-invalidIpIp1: disabled must be a bool", "expected",
            Json: PoolJson("""{"disabled":"True","cidr":"10.0.1.0/24"}""", "invalid-ipip-1")),
        new("st:2670", "pool-invalidIpIp2: disabled must be a bool", "expected",
            Json: PoolJson("""{"disabled":"Maybe","cidr":"10.0.1.0/24"}""", "invalid-ipip-2")),
    ];

    public static TheoryData<string, string> Sources() => Rows(Cases, c => c.Source, c => c.Description);

    [Theory]
    [MemberData(nameof(Sources))]
    public void Calico_crd_rule_case(string source, string description)
    {
        var c = Cases.Single(x => x.Source == source);
        var errors = Problems(c.Build, c.Json);
        if (c.ErrorContains is null)
        {
            Assert.True(errors.Count == 0, $"{source} \"{description}\" should pass, got:\n{Describe(errors)}");
            return;
        }
        Assert.True(errors.Any(e => e.Message.Contains(c.ErrorContains, StringComparison.Ordinal)),
            $"{source} \"{description}\": expected a problem containing \"{c.ErrorContains}\", got:\n{Describe(errors)}");
    }

    [Fact]
    public void Every_case_is_ported_once() => Assert.Equal(Cases.Length, Cases.Select(c => c.Source).Distinct().Count());

    // crd:287 TestCRDDefaults_IPPool: assignmentMode is defaulted to Automatic.
    // api:447 TestIPPool_Defaults: the same, read back from the API server.
    [Fact]
    public void Assignment_mode_defaults_to_Automatic()
    {
        var pool = Pool("10.0.0.0/24", name: "test-pool");
        ResourceDefaults.Apply(pool);
        Assert.Equal(AssignmentMode.Automatic, pool.Spec.AssignmentMode);
    }

    // api:430 TestIPPool_CIDRImmutability. The API server words it with the CRD's transition rule; calicoctl's
    // client, which is what etcd mode runs, says "IPPool CIDR cannot be modified".
    [Fact]
    public void Cidr_cannot_be_changed_by_an_update()
    {
        var stored = Pool("10.0.20.0/24", name: "ippool-1");
        ResourceDefaults.Apply(stored);
        var changed = stored.Clone();
        changed.Spec.Cidr = "10.0.21.0/24";
        Has(ResourceValidator.ValidateUpdate(stored, changed), "spec.cidr", "IPPool CIDR cannot be modified");
    }
}
