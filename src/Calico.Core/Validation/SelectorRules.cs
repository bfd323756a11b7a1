using Calico.Selectors;

namespace Calico.Validation;

/// <summary>
/// Selector fields: the syntax (the `selector` field validator, validator.go:450-461), the CRD's
/// MaxLength of 1024 (api/pkg/apis/projectcalico/v3/ippool.go:135,140) and the CEL ban on global()
/// (ippool.go:93-94).
/// </summary>
internal static class SelectorRules
{
    public const int MaxLength = 1024;

    /// <summary>Checks a selector that is set; an empty selector is left to the field's default.</summary>
    public static void Check(string selector, string field, string globalMessage, ErrorSink errors)
    {
        if (!Selector.TryParse(selector, out _, out var error))
            errors.Add(field, selector, "invalid selector: " + error);
        // OpenAPI's maxLength counts characters (runes), though Kubernetes words the message in bytes.
        if (selector.Length > MaxLength && CountRunes(selector) > MaxLength)
            errors.Add(field, selector, $"may not be more than {MaxLength} bytes");
        // The CEL rule is a plain substring test, so even text inside a quoted value trips it.
        if (selector.Contains("global(", StringComparison.Ordinal))
            errors.Add(field, selector, globalMessage);
    }

    private static int CountRunes(string text)
    {
        var runes = 0;
        foreach (var _ in text.EnumerateRunes()) runes++;
        return runes;
    }
}
