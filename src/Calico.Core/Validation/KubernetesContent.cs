using System.Text;

namespace Calico.Validation;

/// <summary>
/// The Kubernetes name checks Calico calls for label keys, label values and annotation keys, with
/// their exact messages: k8s.io/apimachinery v0.37.0-beta.0 (the version Calico's go.mod pins)
/// pkg/api/validate/content/kube.go (IsLabelKey, IsLabelValue), dns.go (IsDNS1123Subdomain) and
/// errors.go (MaxLenError, EmptyError, RegexError). Lengths are in UTF-8 bytes, as Go's len() counts.
/// </summary>
internal static class KubernetesContent
{
    private const int LabelKeyNameMaxLength = 63;
    public const int LabelValueMaxLength = 63;

    private const string LabelKeyFormat = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]";
    private const string LabelKeyErrorMessage =
        "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
    private const string LabelValueFormat = "(" + LabelKeyFormat + ")?";
    private const string LabelValueErrorMessage =
        "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
    private const string Dns1123SubdomainErrorMessage =
        "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character";

    private static readonly string LabelKeyNameError =
        "name part " + RegexError(LabelKeyErrorMessage, LabelKeyFormat, "MyName", "my.name", "123-abc");
    private static readonly string TooManySlashesError =
        "a valid label key " + RegexError(LabelKeyErrorMessage, LabelKeyFormat, "MyName", "my.name", "123-abc")
        + " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')";
    private static readonly string LabelValueError =
        RegexError(LabelValueErrorMessage, LabelValueFormat, "MyValue", "my_value", "12345");
    private static readonly string SubdomainError =
        RegexError(Dns1123SubdomainErrorMessage, NameRules.SubdomainFormat, "example.com");

    /// <summary>
    /// IsLabelKey (alias IsQualifiedName): an optional DNS subdomain prefix and '/', then a name.
    /// With no sink it only answers, stopping at the first problem; with one it reports every problem
    /// at <paramref name="field"/>, showing <paramref name="shown"/> (default: the key) as the value.
    /// </summary>
    public static bool CheckLabelKey(string key, ErrorSink? errors = null, string field = "", string? shown = null)
    {
        var problems = new Problems(errors, field, shown ?? key);
        var slash = key.IndexOf('/');
        var name = key.AsSpan();
        if (slash >= 0)
        {
            if (key.IndexOf('/', slash + 1) >= 0)
            {
                problems.Add(TooManySlashesError);
                return false;
            }
            var prefix = key.AsSpan(0, slash);
            name = key.AsSpan(slash + 1);
            if (prefix.IsEmpty)
            {
                if (problems.Add("prefix part must be non-empty")) return false;
            }
            else
            {
                if (Encoding.UTF8.GetByteCount(prefix) > NameRules.MaxLength
                    && problems.Add("prefix part " + MaxLengthError(NameRules.MaxLength))) return false;
                if (!NameRules.IsDns1123Subdomain(prefix) && problems.Add("prefix part " + SubdomainError)) return false;
            }
        }
        // An empty name gets both messages: Kubernetes checks the pattern independently of the length.
        if (name.IsEmpty)
        {
            if (problems.Add("name part must be non-empty")) return false;
        }
        else if (Encoding.UTF8.GetByteCount(name) > LabelKeyNameMaxLength
                 && problems.Add("name part " + MaxLengthError(LabelKeyNameMaxLength))) return false;
        if (!IsLabelToken(name)) problems.Add(LabelKeyNameError);
        return problems.None;
    }

    /// <summary>IsLabelValue: empty, or a label token of at most 63 bytes. Sink and field as for keys.</summary>
    public static bool CheckLabelValue(string value, ErrorSink? errors = null, string field = "")
    {
        var problems = new Problems(errors, field, value);
        if (Encoding.UTF8.GetByteCount(value) > LabelValueMaxLength
            && problems.Add(MaxLengthError(LabelValueMaxLength))) return false;
        if (value.Length != 0 && !IsLabelToken(value)) problems.Add(LabelValueError);
        return problems.None;
    }

    /// <summary>Reports into a sink when there is one; Add returns true when the caller should stop.</summary>
    private ref struct Problems(ErrorSink? errors, string field, string shown)
    {
        public bool None { get; private set; } = true;

        public bool Add(string message)
        {
            None = false;
            if (errors is null) return true;
            errors.Add(field, shown, message);
            return false;
        }
    }

    /// <summary>Matches ^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$.</summary>
    private static bool IsLabelToken(ReadOnlySpan<char> text)
    {
        if (text.IsEmpty || !char.IsAsciiLetterOrDigit(text[0]) || !char.IsAsciiLetterOrDigit(text[^1])) return false;
        foreach (var c in text)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.')) return false;
        }
        return true;
    }

    private static string MaxLengthError(int length) => $"must be no more than {length} bytes";

    /// <summary>
    /// content.RegexError, reproduced exactly, including the doubled space it leaves before each "or".
    /// </summary>
    private static string RegexError(string message, string pattern, params string[] examples)
    {
        if (examples.Length == 0) return message + " (regex used for validation is '" + pattern + "')";
        var sb = new StringBuilder(message).Append(" (e.g. ");
        for (var i = 0; i < examples.Length; i++)
        {
            if (i > 0) sb.Append(" or ");
            sb.Append('\'').Append(examples[i]).Append("', ");
        }
        return sb.Append("regex used for validation is '").Append(pattern).Append("')").ToString();
    }
}
