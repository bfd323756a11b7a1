using Calico.Serialization;

namespace Calico.Selectors;

/// <summary>A selector's text is not valid Calico selector syntax.</summary>
public sealed class SelectorParseException : FormatException
{
    internal SelectorParseException(string selectorText, SelectorSyntaxError error)
        : base($"invalid selector {FieldError.Quote(selectorText)}: {Describe(error)}")
    {
        SelectorText = selectorText;
        Reason = error.Reason;
        Position = error.Position;
    }

    /// <summary>The text that failed to parse.</summary>
    public string SelectorText { get; }

    /// <summary>What is wrong, without the text or position, e.g. <c>expected string after '==', found label "b"</c>.</summary>
    public string Reason { get; }

    /// <summary>0-based index into <see cref="SelectorText"/> where the problem was found (its length at the end).</summary>
    public int Position { get; }

    /// <summary>Reason and 1-based character number, the form <see cref="Selector.TryParse"/> reports.</summary>
    internal static string Describe(SelectorSyntaxError error) => $"{error.Reason} at character {error.Position + 1}";
}
