using System.Text;

namespace Calico.Serialization;

/// <summary>
/// One problem with a resource or manifest: where it is (source, document, line) when known, which field, what value, and why.
/// Decoding, validation and datastore rules all report with it, so a user sees one shape of error.
/// </summary>
public sealed record FieldError
{
    public string? Source { get; init; }
    /// <summary>1-based index of the document in its source; 0 when the source holds one value.</summary>
    public int Document { get; init; }
    public int Line { get; init; }
    public int Column { get; init; }
    /// <summary>Field path such as spec.ipipMode or spec.allowedUses[1]; empty for the document itself.</summary>
    public string Field { get; init; } = "";
    public string? Value { get; init; }
    public string Message { get; init; } = "";

    public override string ToString()
    {
        var sb = new StringBuilder();
        if (!string.IsNullOrEmpty(Source)) sb.Append(Source).Append(": ");
        if (Document > 0) sb.Append("document ").Append(Document);
        if (Line > 0) sb.Append(Document > 0 ? ", " : "").Append("line ").Append(Line);
        if (Document > 0 || Line > 0) sb.Append(": ");
        if (!string.IsNullOrEmpty(Field)) sb.Append(Field).Append(": ");
        if (Value is not null) sb.Append("value ").Append(Quote(Value)).Append(": ");
        sb.Append(Message);
        return sb.ToString();
    }

    /// <summary>Shows a value safely in a message: quoted, control characters escaped, long text shortened.</summary>
    public static string Quote(string value)
    {
        const int max = 80;
        var sb = new StringBuilder(Math.Min(value.Length, max) + 2).Append('"');
        var n = 0;
        foreach (var c in value)
        {
            if (n++ == max) { sb.Append('…'); break; }
            if (c == '"' || c == '\\') sb.Append('\\').Append(c);
            else if (char.IsControl(c) || char.IsSurrogate(c)) sb.Append("\\u").Append(((int)c).ToString("x4"));
            else sb.Append(c);
        }
        return sb.Append('"').ToString();
    }
}

/// <summary>Thrown when a manifest or stored value cannot be read; carries every problem found.</summary>
public sealed class ManifestException : Exception
{
    public ManifestException(IReadOnlyList<FieldError> errors)
        : base(string.Join(Environment.NewLine, errors.Select(e => e.ToString())))
    {
        Errors = errors;
    }

    public IReadOnlyList<FieldError> Errors { get; }
}
