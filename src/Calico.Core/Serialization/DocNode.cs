namespace Calico.Serialization;

/// <summary>
/// A parsed YAML or JSON value with its source position. Manifests and stored values are both read
/// into this tree first, so one decoder applies Calico's strict field rules to either.
/// </summary>
public abstract class DocNode
{
    /// <summary>1-based line in the source, or 0 where the source has no lines (a stored JSON value).</summary>
    public int Line { get; init; }
    public int Column { get; init; }
    public abstract string Describe();
}

public sealed class DocScalar : DocNode
{
    public DocScalar(string? value, bool quoted)
    {
        Value = value;
        Quoted = quoted;
    }

    /// <summary>The scalar's text; null only for JSON null.</summary>
    public string? Value { get; }

    /// <summary>True for a quoted YAML scalar or a JSON string: its text is never a number, bool or null.</summary>
    public bool Quoted { get; }

    /// <summary>
    /// What a string field receives when that differs from <see cref="Value"/>: a YAML float read into a
    /// string field is formatted as Go's %g (1e+06), into a number field as JSON number text (1000000).
    /// </summary>
    public string? StringValue { get; init; }

    public bool IsNull => !Quoted && (Value is null or "" or "~" or "null" or "Null" or "NULL");

    public override string Describe() => IsNull ? "null" : Quoted ? "string" : "scalar";
}

public sealed class DocMapping : DocNode
{
    public List<KeyValuePair<DocScalar, DocNode>> Entries { get; } = new();

    public DocNode? this[string key]
    {
        get
        {
            foreach (var e in Entries)
                if (e.Key.Value == key) return e.Value;
            return null;
        }
    }

    public override string Describe() => "mapping";
}

public sealed class DocSequence : DocNode
{
    public List<DocNode> Items { get; } = new();
    public override string Describe() => "list";
}
