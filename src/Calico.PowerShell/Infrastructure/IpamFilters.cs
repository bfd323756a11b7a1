using System.Management.Automation;
using Calico.Analysis;
using Calico.Net;

namespace Calico.PowerShell.Infrastructure;

/// <summary>The address-or-CIDR filters of the IPAM cmdlets.</summary>
internal static class IpamFilters
{
    /// <summary>
    /// Reads an address or CIDR parameter; null text is no filter. Bad text is a non-terminating error for this input
    /// (it may come from the pipeline), and false.
    /// </summary>
    public static bool TryParseRange(Cmdlet cmdlet, string? text, string parameter, out DestinationFilter? filter)
    {
        filter = null;
        if (text is null || DestinationFilter.TryParse(text, out filter)) return true;
        cmdlet.WriteError(new ErrorRecord(new PSArgumentException($"-{parameter} '{text}' is not an IP address or a CIDR such as 192.168.3.0/26."),
            "InvalidAddress", ErrorCategory.InvalidArgument, text));
        return false;
    }

    /// <summary>A block matches an address it holds, or a CIDR it overlaps.</summary>
    public static bool Holds(DestinationFilter filter, IPPrefix block) =>
        filter.IsAddress ? block.Contains(filter.Prefix.Address) : block.Overlaps(filter.Prefix);
}
