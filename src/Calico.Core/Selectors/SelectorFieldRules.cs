namespace Calico.Selectors;

/// <summary>
/// What Calico's v3 API checks on a selector field besides its syntax (<see cref="Selector.TryParse"/>), for
/// validators to apply. Which fields carry which rule is the validator's business.
/// </summary>
public static class SelectorFieldRules
{
    /// <summary>
    /// Every selector field of the v3 CRDs carries <c>+kubebuilder:validation:MaxLength=1024</c>
    /// (api/pkg/apis/projectcalico/v3/ippool.go:135,140 for nodeSelector and namespaceSelector).
    /// </summary>
    public const int MaxLength = 1024;

    /// <summary>
    /// Length as Kubernetes' schema validation counts it against <see cref="MaxLength"/>: Unicode code points
    /// (kube-openapi validate.MaxLength uses utf8.RuneCountInString), not UTF-16 chars and not UTF-8 bytes.
    /// Calico runs that same schema validation in-process in etcd mode (libcalico-go/lib/validator/v3/validator.go:134-151).
    /// </summary>
    public static int Length(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var count = 0;
        foreach (var _ in text.EnumerateRunes()) count++;
        return count;
    }

    /// <summary>
    /// The IPPool global() rule is a plain substring test on the text, not on the parsed selector
    /// (CEL <c>!self.nodeSelector.contains('global(')</c>, api/pkg/apis/projectcalico/v3/ippool.go:93-94; the same
    /// strings.Contains in @v3.32.1:libcalico-go/lib/validator/v3/validator.go:1290-1305). So
    /// <c>a == "global("</c> is refused as well, while <see cref="Selector.UsesGlobal"/> is false for it.
    /// </summary>
    public static bool MentionsGlobal(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.Contains("global(", StringComparison.Ordinal);
    }
}
