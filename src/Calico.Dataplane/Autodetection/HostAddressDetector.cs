using System.Net;
using System.Net.Sockets;
using Calico.Dataplane.Kernel;
using Calico.Net;
using Calico.Serialization;

namespace Calico.Dataplane.Autodetection;

/// <summary>
/// Finds the node's address and subnet as calico-node does at start-up (node/pkg/lifecycle/startup/
/// autodetection), in the namespace its kernel reader looks at, and says for every address why it was or
/// was not chosen. Interfaces are searched in reverse kernel order (highest index first), and an address
/// keeps its interface's prefix, so the result (10.0.2.15/24) carries the node's subnet.
/// </summary>
public sealed class HostAddressDetector
{
    private readonly IKernelReader _kernel;
    private readonly Func<string, IReadOnlyList<IPAddress>> _resolveHostName;

    /// <param name="resolveHostName">Resolves a can-reach= host name; the system resolver by default.</param>
    public HostAddressDetector(IKernelReader kernel, Func<string, IReadOnlyList<IPAddress>>? resolveHostName = null)
    {
        _kernel = kernel ?? throw new ArgumentNullException(nameof(kernel));
        _resolveHostName = resolveHostName ?? Dns.GetHostAddresses;
    }

    /// <summary>Detects with an IP_AUTODETECTION_METHOD (version 4) or IP6_AUTODETECTION_METHOD (version 6) value.</summary>
    /// <exception cref="AutodetectionException">The method is not one calico-node accepts.</exception>
    public HostAddressDetection Detect(string? method, int ipVersion = 4) =>
        Detect(AutodetectionMethod.Parse(method, ipVersion == 6 ? "IP6_AUTODETECTION_METHOD" : "IP_AUTODETECTION_METHOD"), ipVersion);

    public HostAddressDetection Detect(AutodetectionMethod method, int ipVersion = 4)
    {
        ArgumentNullException.ThrowIfNull(method);
        CheckVersion(ipVersion);
        var search = new Search(method.Text, ipVersion, ReadInterfaces());
        return method.Kind switch
        {
            AutodetectionKind.FirstFound => search.Enumerate(null, Exclusions([]), []),
            AutodetectionKind.Interface => search.Enumerate(method.InterfacePatterns, null, []),
            AutodetectionKind.SkipInterface => search.Enumerate(null, Exclusions(method.InterfacePatterns), []),
            AutodetectionKind.Cidr => search.Enumerate(null, null, method.Cidrs),
            AutodetectionKind.CanReach => CanReach(search, method.Destination!),
            _ => search.Fail("kubernetes-internal-ip takes the address from the Kubernetes Node's InternalIP; there is no Kubernetes API here to read it from"),
        };
    }

    /// <summary>
    /// The address for an explicit IP= (or IP6=) value, as calico-node's GetLocalCIDR reads it: a CIDR is
    /// used as given; a plain address takes the prefix of the interface carrying it, else a full-length
    /// prefix (/32). calico-node itself does the interface lookup for IP only, and keeps a plain IP6 as /128.
    /// </summary>
    /// <exception cref="AutodetectionException">The value is not an address (or CIDR) of that version.</exception>
    public HostAddressDetection FindConfiguredAddress(string value, int ipVersion = 4)
    {
        ArgumentNullException.ThrowIfNull(value);
        CheckVersion(ipVersion);
        var variable = ipVersion == 6 ? "IP6" : "IP";
        if (!IPPrefix.TryParseAddressOrPrefix(value, out var given, out var hadPrefix) || given.Family != ipVersion)
            throw new AutodetectionException(new FieldError { Field = variable, Value = value, Message = $"not an IPv{ipVersion} address or CIDR" });
        var search = new Search($"{variable}={value}", ipVersion, ReadInterfaces());
        var ip = given.Address;
        var found = search.Match(
            address => address.Address.Equals(ip),
            address => hadPrefix
                ? $"carries the configured address {ip}; the prefix /{given.PrefixLength} given in {variable} is used as it is"
                : $"carries the configured address {ip}; its prefix /{address.PrefixLength} is the node's subnet",
            HostAddressVerdict.NotConfiguredAddress,
            _ => $"not the configured address {ip}");
        var address = hadPrefix || found is null ? given : found.Address;
        var warning = found is not null ? null
            : hadPrefix ? $"Unable to confirm IPv{ipVersion} address {ip} is assigned to this host"
            : $"no interface carries {ip}, so it is kept as {given}, as calico-node does: the node's subnet is unknown";
        return search.Result(address, found?.Interface, warning);
    }

    private HostAddressDetection CanReach(Search search, string destination)
    {
        var family = search.IPVersion == 4 ? AddressFamily.InterNetwork : AddressFamily.InterNetworkV6;
        IPAddress target;
        if (IPParser.TryParse(destination, out var literal))
        {
            if (literal.AddressFamily != family) return search.Fail($"can-reach destination {destination} is not an IPv{search.IPVersion} address");
            target = literal;
        }
        else
        {
            IReadOnlyList<IPAddress> resolved;
            try { resolved = _resolveHostName(destination); }
            catch (SocketException e) { return search.Fail($"cannot resolve can-reach destination {destination}: {e.Message}"); }
            var first = resolved.FirstOrDefault(a => a.AddressFamily == family);
            if (first is null) return search.Fail($"can-reach destination {destination} has no IPv{search.IPVersion} address");
            target = first;
        }

        RouteLookup lookup;
        try { lookup = _kernel.LookupRoute(target); }
        catch (KernelCommandException e) { return search.Fail($"cannot reach {destination}: {e.StandardError.Trim()}"); }
        if (lookup.PreferredSource is not { } source) return search.Fail($"no address detected by connecting to {destination}");

        var via = lookup.Device is null ? "" : $" (out of {lookup.Device})";
        var shown = destination == target.ToString() ? destination : $"{destination} ({target})";
        var found = search.Match(
            address => address.Address.Equals(source),
            _ => $"the source address the kernel uses to reach {shown}{via}",
            HostAddressVerdict.NotReachSource,
            _ => $"not the source address the kernel uses to reach {shown}, which is {source}");
        return found is null
            ? search.Fail($"autodetected IPv{search.IPVersion} address does not match any addresses found on local interfaces: {source}")
            : search.Result(found.Address, found.Interface, null);
    }

    private IReadOnlyList<HostInterface> ReadInterfaces() => HostInterface.FromKernel(_kernel.GetLinks(), _kernel.GetAddresses());

    private static IReadOnlyList<(string Pattern, bool IsDefault)> Exclusions(IReadOnlyList<string> extra) =>
        [.. DefaultInterfaceExclusions.Patterns.Select(p => (p, true)), .. extra.Select(p => (p, false))];

    private static void CheckVersion(int ipVersion)
    {
        if (ipVersion is not (4 or 6)) throw new ArgumentOutOfRangeException(nameof(ipVersion), ipVersion, "IP version must be 4 or 6");
    }

    /// <summary>One pass over the interfaces, recording a verdict for every address.</summary>
    private sealed class Search(string method, int ipVersion, IReadOnlyList<HostInterface> interfaces)
    {
        private readonly List<HostAddressCandidate> _candidates = [];
        private HostAddressCandidate? _selected;

        public int IPVersion => ipVersion;

        /// <summary>calico-node's FilteredEnumeration: the first global unicast address on an interface that is included and not excluded.</summary>
        public HostAddressDetection Enumerate(IReadOnlyList<string>? include, IReadOnlyList<(string Pattern, bool IsDefault)>? exclude, IReadOnlyList<IPPrefix> cidrs)
        {
            var includeRegex = include is null ? null : InterfaceRegex.TryCombine(include, out _);
            var excludeRegex = exclude is null ? null : InterfaceRegex.TryCombine(exclude.Select(e => e.Pattern).ToArray(), out _);
            var anyInterface = false;
            foreach (var iface in interfaces.Reverse())
            {
                if (Skip(iface.Name) is { } skip)
                {
                    foreach (var address in iface.Addresses) Add(iface, address, skip.Verdict, skip.Reason);
                    continue;
                }

                anyInterface = true;
                foreach (var address in iface.Addresses)
                {
                    if (address.Family != ipVersion) Add(iface, address, HostAddressVerdict.WrongFamily, WrongFamily(address));
                    else if (GoAddress.WhyNotGlobalUnicast(address.Address) is { } why) Add(iface, address, HostAddressVerdict.NotGlobalUnicast, $"{why}, not a global unicast address");
                    else if (cidrs.Count > 0 && !cidrs.Any(c => c.Contains(address.Address))) Add(iface, address, HostAddressVerdict.OutsideCidrs, $"outside {string.Join(", ", cidrs)}");
                    else if (_selected is not null) Add(iface, address, HostAddressVerdict.NotFirst, NotFirst());
                    else _selected = Add(iface, address, HostAddressVerdict.Selected, SelectedReason(include, cidrs));
                }
            }
            if (_selected is not null) return Result(_selected.Address, _selected.Interface, null);
            return Fail(anyInterface ? $"no valid IPv{ipVersion} addresses found on the host interfaces" : "no valid host interfaces found");

            // The interface filter comes first, as in calico-node: a skipped interface's addresses are never looked at.
            (HostAddressVerdict Verdict, string Reason)? Skip(string name)
            {
                if (includeRegex is not null && !includeRegex.IsMatch(name))
                    return (HostAddressVerdict.InterfaceNotIncluded, $"interface {name} matches none of the interface regexes ({string.Join(", ", include!)})");
                if (excludeRegex is null || !excludeRegex.IsMatch(name)) return null;
                // Name the regex that matched; calico-node only knows the alternation did.
                var (pattern, isDefault) = exclude!.FirstOrDefault(e => InterfaceRegex.TryCompile(e.Pattern, out _)?.IsMatch(name) == true);
                return (HostAddressVerdict.InterfaceExcluded,
                    pattern is null ? $"interface {name} is excluded"
                    : isDefault ? $"interface {name} is excluded by Calico's default exclusion {pattern}"
                    : $"interface {name} is excluded by skip-interface regex {pattern}");
            }
        }

        /// <summary>The first address (all interfaces, no exclusions) that <paramref name="isTarget"/> picks, as can-reach and GetLocalCIDR search.</summary>
        public HostAddressCandidate? Match(Func<IPPrefix, bool> isTarget, Func<IPPrefix, string> selectedReason,
            HostAddressVerdict otherVerdict, Func<IPPrefix, string> otherReason)
        {
            foreach (var iface in interfaces.Reverse())
            {
                foreach (var address in iface.Addresses)
                {
                    if (address.Family != ipVersion) Add(iface, address, HostAddressVerdict.WrongFamily, WrongFamily(address));
                    else if (!isTarget(address)) Add(iface, address, otherVerdict, otherReason(address));
                    else if (_selected is not null) Add(iface, address, HostAddressVerdict.NotFirst, NotFirst());
                    else _selected = Add(iface, address, HostAddressVerdict.Selected, selectedReason(address));
                }
            }
            return _selected;
        }

        public HostAddressDetection Result(IPPrefix address, string? iface, string? warning) => new()
        {
            Method = method,
            IPVersion = ipVersion,
            Address = address,
            Interface = iface,
            Candidates = _candidates,
            Warning = warning,
        };

        public HostAddressDetection Fail(string error)
        {
            // Record every address even when the method never looked at them, so the user sees what there was.
            if (_candidates.Count == 0)
            {
                foreach (var iface in interfaces.Reverse())
                {
                    foreach (var address in iface.Addresses)
                    {
                        if (address.Family != ipVersion) Add(iface, address, HostAddressVerdict.WrongFamily, WrongFamily(address));
                        else Add(iface, address, HostAddressVerdict.NotExamined, $"not examined: {error}");
                    }
                }
            }
            return new() { Method = method, IPVersion = ipVersion, Candidates = _candidates, Error = error };
        }

        private HostAddressCandidate Add(HostInterface iface, IPPrefix address, HostAddressVerdict verdict, string reason)
        {
            var candidate = new HostAddressCandidate
            {
                Interface = iface.Name,
                InterfaceIndex = iface.Index,
                Address = address,
                Verdict = verdict,
                Reason = reason,
            };
            _candidates.Add(candidate);
            return candidate;
        }

        private string WrongFamily(IPPrefix address) => $"an IPv{address.Family} address; detecting IPv{ipVersion}";

        private string NotFirst() =>
            $"eligible, but {_selected!.Address} on {_selected.Interface} came first (interfaces are searched from the highest index down)";

        private string SelectedReason(IReadOnlyList<string>? include, IReadOnlyList<IPPrefix> cidrs)
        {
            var what = $"the first global unicast IPv{ipVersion} address";
            if (include is not null) return $"{what} on an interface matching {string.Join(", ", include)}";
            if (cidrs.Count > 0) return $"{what} inside {string.Join(", ", cidrs)}";
            return $"{what} on an interface not excluded, searching from the highest interface index down";
        }
    }
}
