using System.Management.Automation;
using Calico.Resources;

namespace Calico.PowerShell.Infrastructure;

/// <summary>
/// Reads -ASNumber as Calico does (plain or dotted), and refuses a dotted number PowerShell has already turned into a
/// decimal: unquoted, 1.10 arrives as the number 1.1, which would silently become AS 1.1 (65537) instead of 1.10 (65546).
/// </summary>
public sealed class ASNumberTransformationAttribute : ArgumentTransformationAttribute
{
    public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
    {
        var value = inputData is PSObject ps ? ps.BaseObject : inputData;
        switch (value)
        {
            case null:
                return null;
            case ASNumber asn:
                return asn;
            case double or float or decimal:
                throw new ArgumentTransformationMetadataException(
                    $"PowerShell read the AS number as the decimal {value}; write a dotted AS number in quotes, e.g. -ASNumber '1.10'.");
            case int or long or uint or ulong or short or ushort or byte:
                var number = Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture);
                if (number is < 0 or > uint.MaxValue)
                    throw new ArgumentTransformationMetadataException($"{number} is not an AS number (0-4294967295).");
                return new ASNumber((uint)number);
            default:
                var text = value.ToString();
                return ASNumber.TryParse(text, out var parsed)
                    ? parsed
                    : throw new ArgumentTransformationMetadataException($"'{text}' is not an AS number: 0-4294967295, or dotted a.b with each part 0-65535.");
        }
    }
}
