using System.Text;

namespace Calico.Validation;

/// <summary>
/// Resource names. Calico requires every name to be a DNS-1123 subdomain of at most 253 bytes
/// (libcalico-go/lib/validator/v3/validator.go:59-64 nameRegex, :1235-1259 validateObjectMeta).
/// </summary>
internal static class NameRules
{
    /// <summary>k8svalidation.DNS1123SubdomainMaxLength.</summary>
    public const int MaxLength = 253;

    /// <summary>The pattern Calico quotes in its message (validator.go:59-60 nameSubdomainFmt).</summary>
    public const string SubdomainFormat = @"[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*";

    public static void Check(string name, ErrorSink errors)
    {
        // Both problems are reported when both apply, as validateObjectMeta does.
        var bytes = Encoding.UTF8.GetByteCount(name);
        if (bytes > MaxLength)
            errors.Add("metadata.name", name, $"name is too long by {bytes - MaxLength} bytes");
        if (!IsDns1123Subdomain(name))
            errors.Add("metadata.name", name,
                "name must consist of lower case alphanumeric characters, '-' or '.' (regex: " + SubdomainFormat + ")");
    }

    /// <summary>
    /// True when the text matches ^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$:
    /// dot-separated labels, each starting and ending with a lower-case letter or digit. No length limit.
    /// </summary>
    public static bool IsDns1123Subdomain(ReadOnlySpan<char> text)
    {
        if (text.IsEmpty) return false;
        var atLabelStart = true;
        var previous = '\0';
        foreach (var c in text)
        {
            if (c == '.')
            {
                if (atLabelStart || previous == '-') return false;
                atLabelStart = true;
            }
            else if (c is (>= 'a' and <= 'z') or (>= '0' and <= '9'))
            {
                atLabelStart = false;
            }
            else if (c == '-')
            {
                if (atLabelStart) return false;
            }
            else
            {
                return false;
            }
            previous = c;
        }
        return !atLabelStart && previous != '-';
    }
}
